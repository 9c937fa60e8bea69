package dev.homeroom.engine;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Teachers' custom groups ({@link SyncEngine#groups()}): groups a teacher makes beside Clever's sections. They are the
 * teacher's data, not Clever's: a sync, a revert or an approval never edits or deletes one, whatever
 * {@code sync.strategy} says (SIS_LOCKDOWN included); only these calls do. A member whose account a sync deactivates
 * stays in the group and reads {@link GroupMember.Status#INACTIVE}; it reads ACTIVE again once the account is
 * reactivated. When Clever reissues a user's id and the account moves to it ({@code users.reissued_id = LINK}), the
 * user's group memberships and the groups it owns move too.
 *
 * <p>A teacher is named by the Clever id of a teacher account the store holds; a teacher's students are the students
 * with an active membership of a class the teacher has an active teacher membership of (what Clever's
 * {@code /users/{id}/mystudents} lists, taken from the store). Bad input is refused with one line
 * ({@link ConfigurationException}, {@code HR-GROUP-0NN}) and changes nothing. Who may call these for which teacher is
 * the host's decision.
 */
@API(status = API.Status.EXPERIMENTAL)
public interface CustomGroups {

    /** A new group with no members. */
    CustomGroup createEmpty(String teacherId, String name);

    /**
     * A new group holding the students of one of the teacher's sections now (its active student memberships). Later
     * changes to the section (a new name, students who join or leave) do not reach the group.
     */
    CustomGroup copyFromSection(String teacherId, String sectionId, String name);

    /** A new group of students picked from the teacher's students ({@link #students}); at least one. */
    CustomGroup pick(String teacherId, String name, Collection<String> studentIds);

    /**
     * Splits one of the teacher's sections into {@code names.size()} (2 or more) sub-groups: its students now, in Clever
     * id order, dealt in turn, so each student is in exactly one and their union is the section.
     */
    List<CustomGroup> split(String teacherId, String sectionId, List<String> names);

    /**
     * Splits one of the teacher's sections into the sub-groups given (name to students, 2 or more, in the map's order):
     * each student of the section now must be in exactly one, and no one else.
     */
    List<CustomGroup> split(String teacherId, String sectionId, Map<String, ? extends Collection<String>> subGroups);

    /** The teacher's students now, by Clever id: the students a group may be picked from or added from. */
    List<String> students(String teacherId);

    /** Adds students of the group's teacher ({@link #students}); those already in it are left as they are. */
    CustomGroup addMembers(String groupId, Collection<String> studentIds);

    /** Removes members (active or not); each must be in the group. */
    CustomGroup removeMembers(String groupId, Collection<String> userIds);

    CustomGroup rename(String groupId, String name);

    /** Deletes a group and its memberships. */
    void delete(String groupId);

    /** A teacher's groups, oldest first, with their member counts. */
    List<CustomGroup> groupsOf(String teacherId);

    /** The groups a user (a student, or anyone added) is a member of, oldest first. */
    List<CustomGroup> groupsWithMember(String userId);

    /** A group with its members, each ACTIVE or INACTIVE as its account is now; empty for an unknown id. */
    Optional<GroupWithMembers> group(String groupId);

    /** A page of a teacher's groups, oldest first: at most {@code limit} (500) from {@code offset}, with their member counts. */
    List<CustomGroup> groupsOf(String teacherId, int limit, int offset);

    /**
     * A group with one page of its members (by last name, first name and Clever id; at most {@code limit} (500) from
     * {@code offset}); the group's counts are of all its members. Empty for an unknown id.
     */
    Optional<GroupWithMembers> group(String groupId, int limit, int offset);

    /**
     * A page of a district's teachers (teacher accounts the store holds, active or not) whose Clever id starts with
     * {@code idPrefix} (null for all), by Clever id after {@code afterId} (null for the first page): at most
     * {@code limit} (500). A range of the accounts' key, so it costs the same in a district of any size.
     */
    List<GroupTeacher> teachers(String districtId, String idPrefix, String afterId, int limit);

    /** The sections a teacher teaches now (active teacher memberships), by name, with their students now: at most {@code limit} (500). */
    List<TeacherSection> sections(String teacherId, int limit);
}
