package dev.homeroom.engine;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * A teacher's custom group ({@link CustomGroups}): its id, the district and the owning teacher's Clever id, its name,
 * how it began ({@code origin}) and the section it came from (null for {@link Origin#EMPTY} and {@link Origin#PICKED}),
 * when it was created and last edited by a person, and how many members have an active account now and how many do not
 * (a member whose account a sync deactivated stays in the group, inactive).
 */
@API(status = API.Status.EXPERIMENTAL)
public record CustomGroup(String id, String districtId, String teacherId, String name, Origin origin, String sourceSectionId,
                          Instant createdAt, Instant editedAt, int activeMembers, int inactiveMembers) {

    /** How a group began. */
    @API(status = API.Status.EXPERIMENTAL)
    public enum Origin {
        /** Created with no members. */
        EMPTY,
        /** A copy of a section's students at the time it was made; the section's later changes do not reach it. */
        COPIED_FROM_SECTION,
        /** Students picked from the teacher's students. */
        PICKED,
        /** One of the sub-groups a section was split into. */
        SUB_GROUP
    }

    /** Every member, active or not. */
    public int members() {
        return activeMembers + inactiveMembers;
    }
}
