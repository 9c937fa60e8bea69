package dev.homeroom.engine;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * A member of a custom group: the student's Clever id and name (from the account; null when the store has no account
 * for it), how and when it was added, and its {@link Status}, read from the account each time: {@code INACTIVE} while
 * no account of it is active (Clever no longer shares the student, or a rule deactivated it), {@code ACTIVE} again once
 * a sync reactivates it.
 */
@API(status = API.Status.EXPERIMENTAL)
public record GroupMember(String userId, String firstName, String lastName, AddedHow addedHow, Instant addedAt, Status status) {

    /** Whether the member's account is active now. */
    @API(status = API.Status.EXPERIMENTAL)
    public enum Status { ACTIVE, INACTIVE }

    /** How a member came into the group. */
    @API(status = API.Status.EXPERIMENTAL)
    public enum AddedHow {
        /** Copied with the section's students. */
        COPIED,
        /** Picked from the teacher's students when the group was made. */
        PICKED,
        /** The member's share of a split section. */
        SPLIT,
        /** Added by hand to an existing group. */
        ADDED
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }
}
