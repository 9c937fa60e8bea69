package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** What changed between a district state and the one before it ({@link SyntheticDistrict#changes()}). */
@API(status = EXPERIMENTAL)
public enum Change {
    /** Users no longer served (students, one staff member); their ids are gone from every list. */
    USER_REMOVED,
    /** New students (each enrolled in one section). */
    USER_CREATED,
    /** Students whose last name changed. */
    USER_RENAMED,
    /** Students whose email changed. */
    USER_EMAIL_CHANGED,
    /** Students who had no dob and now have one. */
    USER_GAINED_DOB,
    /** Sections whose name changed. */
    SECTION_RENAMED,
    /** Terms deleted (their sections moved to the re-created term). */
    TERM_REMOVED,
    /** Terms re-created under a new id. */
    TERM_CREATED
}
