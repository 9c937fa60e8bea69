package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine syncs the realistic preset: every record fetched, and the recurring quirks decided as the one-per-school ones are. */
class RealisticDistrictSyncTest {

    @Test
    void theEngineSyncsTheRealisticDistrictAndDecidesItsRecurringQuirks() {
        try (GoldenRoster roster = GoldenRoster.builder().simulator(DistrictSpec.realistic(800)).policy("school_year.end", "2027").sync()) {
            DistrictCounts counts = roster.district().counts();
            for (String kind : List.of("schools", "terms", "courses", "sections", "users")) {
                assertThat(roster.report().counts(kind).fetched()).as(kind).isEqualTo(counts.of(kind));
            }
            List<String> classless = roster.district().idsWith(Quirk.STUDENT_NO_SECTIONS);
            assertThat(classless).hasSizeGreaterThan((int) counts.schools()); // recurring: more than one per school
            assertThat(roster.decidedBy("users", "SKIPPED", "P1-SKIP-CLASSLESS-STUDENT")).containsExactlyInAnyOrderElementsOf(classless);
            String teacherStaff = roster.district().idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF).get(1);
            roster.user(teacherStaff).isProvisioned();
        }
    }
}
