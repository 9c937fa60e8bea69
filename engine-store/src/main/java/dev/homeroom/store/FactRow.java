package dev.homeroom.store;

import dev.homeroom.spi.Change;
import dev.homeroom.spi.Outcome;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One record with what the derive step computed in SQL. Which numbers mean what depends on the kind:
 * users: {@code count1} student sections, {@code count2} teacher sections, {@code schools} of those sections,
 * {@code flag1} duplicate email, {@code flag2} duplicate SIS id (among users of the same role), {@code text1}/{@code text2}
 * another user sharing that email/SIS id (null when none does): the one that keeps it (the lowest Clever id) when this
 * one is a later duplicate, else the highest of the later ones;
 * sections: {@code count1} students, {@code count2} teachers, {@code flag1} term shared, {@code flag2} display name
 * edited, {@code text1} course name, {@code text2} primary teacher's last name;
 * terms and courses: {@code count1} shared sections pointing at them; courses: {@code schools} the schools of those sections.
 */
@API(status = API.Status.INTERNAL)
public record FactRow(String cleverId, String payload, Change change, Outcome previousOutcome, String previousDecisionHash,
                      int count1, int count2, List<String> schools, boolean flag1, boolean flag2,
                      String text1, String text2) {
    public FactRow {
        schools = schools == null ? List.of() : List.copyOf(schools);
    }
}
