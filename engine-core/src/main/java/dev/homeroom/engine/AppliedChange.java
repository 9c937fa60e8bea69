package dev.homeroom.engine;

import java.time.Instant;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One change a run applied to what the host sees, from the outbox written in the same transaction: {@code entity} is
 * user, section, term, course, school or {@value #MEMBERSHIP}; {@code key} the Clever id, for an account the Clever id
 * and the account's role ({@code CLEVER_ID/ROLE}: {@code teacher-1/teacher}), and for a membership the class (its
 * section's Clever id), the user and the role in the class ({@code CLASS_ID/USER_ID/ROLE}, see {@link #membership()});
 * {@code change} CREATED, UPDATED, REACTIVATED or DEACTIVATED (a membership is never UPDATED). A host should skip an
 * entity it does not know: later versions may add some.
 */
@API(status = API.Status.EXPERIMENTAL)
public record AppliedChange(String districtId, String runId, int seq, String entity, String key, String change, Instant at) {
    /** The entity of a class membership's changes. */
    public static final String MEMBERSHIP = "membership";

    /** For a membership's change, the class, user and role it is about; empty for any other entity. */
    public Optional<Membership> membership() {
        if (!MEMBERSHIP.equals(entity) || key == null) {
            return Optional.empty();
        }
        int first = key.indexOf('/');
        int last = key.lastIndexOf('/');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        return Optional.of(new Membership(key.substring(0, first), key.substring(first + 1, last), key.substring(last + 1)));
    }

    /** A class membership: the class (its section's Clever id), the user's Clever id and their role in it ({@code student}, {@code teacher}). */
    @API(status = API.Status.EXPERIMENTAL)
    public record Membership(String classId, String userId, String role) {}
}
