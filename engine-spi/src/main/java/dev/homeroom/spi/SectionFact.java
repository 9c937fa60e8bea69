package dev.homeroom.spi;

import org.apiguardian.api.API;

/**
 * What the rules see about one section.
 *
 * @param termShared         the section's {@code term_id} names a term Clever shares now
 * @param courseName         the name of its course, when shared
 * @param teacherLastName    the last name of its primary teacher, when shared
 * @param displayNameEdited  a person edited the display name in the product; a sync never overwrites it (P10)
 */
@API(status = API.Status.STABLE)
public record SectionFact(
        String districtId,
        Section section,
        Change change,
        Outcome previousOutcome,
        int studentCount,
        int teacherCount,
        boolean termShared,
        String courseName,
        String teacherLastName,
        boolean displayNameEdited) {

    public String id() {
        return section.id();
    }

    public boolean isGone() {
        return change == Change.GONE;
    }
}
