package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A Clever data quirk (see docs/POLICIES.md) that the synthetic district carries on known records.
 * {@link SyntheticDistrict#quirks()} maps each to the Clever ids that carry it.
 *
 * <p>For an {@linkplain #exhaustive() exhaustive} quirk the id list is every record carrying it,
 * so a test may assert exact numbers; the others describe the norm rather than an exception
 * (every enrolled student is in several sections), and their list is a bounded sample.
 */
@API(status = EXPERIMENTAL)
public enum Quirk {
    /** Users holding teacher and staff roles under one id (and no district_admin role). */
    MULTI_ROLE_TEACHER_STAFF(true),
    /** Users holding teacher, staff and district_admin roles under one id. */
    MULTI_ROLE_TEACHER_STAFF_ADMIN(true),
    /** Every user with a {@code district_admin} role. */
    DISTRICT_ADMIN(true),
    /** Users whose only role is staff: tied to schools ({@code roles.staff.schools}), never to sections. */
    STAFF_SCHOOLS_ONLY(true),
    /** Contacts ({@code role=contact}) with {@code student_relationships}; full name in {@code name.last}. Sample. */
    CONTACT(false),
    /** Students enrolled in no section. */
    STUDENT_NO_SECTIONS(true),
    /** Teachers of no section. */
    TEACHER_NO_SECTIONS(true),
    /** Users (students and teachers) enrolled at or teaching sections of several schools. */
    USER_MULTI_SCHOOL(true),
    /** Students in several sections (every enrolled student is in at least two). Sample. */
    STUDENT_MULTIPLE_SECTIONS(false),
    /** Students without a {@code dob} key. */
    STUDENT_MISSING_DOB(true),
    /** Students whose dob has a single-digit month and day in {@code M/D/YYYY}, e.g. {@code 2/3/2012}. Sample. */
    DOB_M_D_YYYY(false),
    /** Students without a {@code graduation_year} key. */
    STUDENT_MISSING_GRADUATION_YEAR(true),
    /** Users with non-ASCII UTF-8 names (ñ, à, ë, ', -), e.g. "Zoë O'Brien-Núñez". */
    NAME_UTF8(true),
    /** Users whose name parts have leading/trailing spaces and control characters. */
    NAME_UNTRIMMED_CONTROL_CHARS(true),
    /** Users with a name part over 100 characters. */
    NAME_TOO_LONG(true),
    /** Users with an email over 254 characters. */
    EMAIL_TOO_LONG(true),
    /** Users sharing an email with another user (both listed). */
    DUPLICATE_EMAIL(true),
    /** Users sharing a SIS id with another user (both listed). */
    DUPLICATE_SIS_ID(true),
    /** Students carrying {@code iep_status}, {@code ell_status} and {@code frl_status}. */
    SENSITIVE_FIELDS(true),
    /** Term ids referenced by sections but not served (deleted, not shared). */
    TERM_DELETED_NOT_SHARED(true),
    /** Sections whose {@code term_id} is a term that is not served. */
    SECTION_TERM_NOT_SHARED(true),
    /** Sections without a {@code name}; each has course, teacher and period so a display name can be generated. */
    SECTION_NO_NAME(true),
    /** Sections with subject {@code other}. */
    SECTION_SUBJECT_OTHER(true),
    /** Sections whose {@code grade} matches none of their students' grades. */
    SECTION_GRADE_MISMATCH(true),
    /** Sections without a {@code course} (all of them when the district shares no courses: then a sample). */
    SECTION_NO_COURSE(true),
    /** Sections with a co-teacher ({@code teachers} has more than the primary teacher). */
    SECTION_CO_TEACHERS(true),
    /** Records with keys the v3.0 spec does not list (e.g. {@code lms_status}, {@code roles.student.email}). Sample. */
    UNKNOWN_FIELDS(false),
    /** Records with {@code ext} objects. Sample. */
    EXT_OBJECTS(false);

    private final boolean exhaustive;

    Quirk(boolean exhaustive) {
        this.exhaustive = exhaustive;
    }

    /** True when {@link SyntheticDistrict#quirks()} lists every record carrying this quirk, false for a sample. */
    public boolean exhaustive() {
        return exhaustive;
    }
}
