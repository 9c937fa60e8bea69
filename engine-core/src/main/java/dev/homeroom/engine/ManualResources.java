package dev.homeroom.engine;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A host's own classes, students and memberships beside Clever's ({@code sync.strategy} {@code PARTIAL_LOCKDOWN}, the
 * default, {@code TWO_WAY} and {@code MANUAL}; docs/POLICIES.md P21), from {@link SyncEngine#manual()}. They live in the
 * provisioned tables marked manual, with ids Clever never uses ({@code manual-} and a UUID), and reach the outbox like a
 * sync's changes (each call is a run of mode {@code manual}). A sync never changes or deactivates them, the safety guard
 * does not count them and a revert does not touch them. A manual membership joins a student, manual or synced, to a
 * class, manual or synced; it is active while the host wants it and its class and one of the student's accounts are
 * active, so it stays (inactive) while a sync has its class deactivated and comes back with it.
 *
 * <p>Records Clever provisions refuse these edits: only their editable islands change
 * ({@link SyncEngine#editClassDisplayName}, {@link SyncEngine#editGraduationYear}). Under {@code SIS_LOCKDOWN} every
 * change here is refused (Clever is the truth); reading is always allowed. A mistake fails with one line,
 * {@code HR-MANUAL-NNN} and what to change.
 */
@API(status = API.Status.EXPERIMENTAL)
public interface ManualResources {

    /** Creates an active manual class in a district the store holds; {@code name} is required. */
    ManualClass createClass(String districtId, ClassValues values);

    /** Creates an active manual student (one student account); first and last name are required. */
    ManualStudent createStudent(String districtId, StudentValues values);

    /** Replaces a manual class's name, subject and grade; a synced class is refused. */
    ManualClass editClass(String classId, ClassValues values);

    /** Replaces a manual student's names, email and grade; a synced user is refused. */
    ManualStudent editStudent(String studentId, StudentValues values);

    /** Deactivates or reactivates a manual class (never deleted); its manual memberships follow it. */
    ManualClass setClassActive(String classId, boolean active);

    /** Deactivates or reactivates a manual student (never deleted); their manual memberships follow. */
    ManualStudent setStudentActive(String studentId, boolean active);

    /**
     * Makes a student (manual or synced) a manual member of a class (manual or synced) of the same district. A
     * membership Clever's enrollments made becomes manual: Clever's enrollments no longer move it.
     */
    ManualMembership join(String classId, String studentId);

    /** Takes a manual membership back: kept, marked manual, inactive. A membership Clever's enrollments make is refused. */
    ManualMembership leave(String classId, String studentId);

    /** The district's manual classes, by id. */
    List<ManualClass> classes(String districtId);

    /** The district's manual students, by id. */
    List<ManualStudent> students(String districtId);

    /** The district's manual memberships, by class and student. */
    List<ManualMembership> memberships(String districtId);

    /**
     * A page of the district's manual classes, by id after {@code afterId} (null for the first page): at most
     * {@code limit} (500). It reads only manual rows, whatever the number of the district's synced classes.
     */
    List<ManualClass> classes(String districtId, String afterId, int limit);

    /** A page of the district's manual students, by id after {@code afterId} (null for the first page): at most {@code limit} (500). */
    List<ManualStudent> students(String districtId, String afterId, int limit);

    /**
     * A page of the district's manual memberships, by class and student after ({@code afterClassId}, {@code afterStudentId})
     * (nulls for the first page): at most {@code limit} (500).
     */
    List<ManualMembership> memberships(String districtId, String afterClassId, String afterStudentId, int limit);

    /** A manual class of this district; empty when the district has no manual class with this id. */
    Optional<ManualClass> manualClass(String districtId, String classId);

    /** A manual student of this district; empty when the district has no manual student with this id. */
    Optional<ManualStudent> manualStudent(String districtId, String studentId);

    /** What a host sets on a manual class. */
    @API(status = API.Status.EXPERIMENTAL)
    record ClassValues(String name, String subject, String grade) {}

    /** What a host sets on a manual student. */
    @API(status = API.Status.EXPERIMENTAL)
    record StudentValues(String firstName, String lastName, String email, String grade) {}

    /** A manual class as stored; {@code runId} is the run that last changed it. */
    @API(status = API.Status.EXPERIMENTAL)
    record ManualClass(String districtId, String id, String name, String subject, String grade, boolean active, String runId) {}

    /** A manual student as stored; {@code runId} is the run that last changed it. */
    @API(status = API.Status.EXPERIMENTAL)
    record ManualStudent(String districtId, String id, String firstName, String lastName, String email, String grade, boolean active,
                         String runId) {}

    /** A manual membership: {@code joined} is what the host asked for, {@code active} whether it grants access now. */
    @API(status = API.Status.EXPERIMENTAL)
    record ManualMembership(String districtId, String classId, String studentId, boolean joined, boolean active) {}
}
