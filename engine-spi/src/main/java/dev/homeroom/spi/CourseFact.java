package dev.homeroom.spi;

import java.util.List;
import org.apiguardian.api.API;

/**
 * What the rules see about one course.
 *
 * @param sectionCount      shared sections that point at the course
 * @param sectionSchoolIds  distinct schools of those sections (P19 courses.per_school copies the course per school)
 */
@API(status = API.Status.STABLE)
public record CourseFact(String districtId, Course course, Change change, Outcome previousOutcome, int sectionCount,
                         List<String> sectionSchoolIds) {
    public CourseFact {
        sectionSchoolIds = Immutables.list(sectionSchoolIds);
    }

    /** A course fact without the schools of its sections (as before SPI 1.3). */
    public CourseFact(String districtId, Course course, Change change, Outcome previousOutcome, int sectionCount) {
        this(districtId, course, change, previousOutcome, sectionCount, List.of());
    }

    public String id() {
        return course.id();
    }

    public boolean isGone() {
        return change == Change.GONE;
    }
}
