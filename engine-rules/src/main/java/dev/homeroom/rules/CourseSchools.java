package dev.homeroom.rules;

import java.util.List;
import org.apiguardian.api.API;

/**
 * A fact beside each {@code CourseFact}: the distinct schools of the course's shared sections (empty when none has a
 * school), for P19 {@code courses.per_school}, which copies the course once per school.
 */
@API(status = API.Status.EXPERIMENTAL)
public record CourseSchools(String courseId, List<String> schoolIds) {
    public CourseSchools {
        schoolIds = schoolIds == null ? List.of() : List.copyOf(schoolIds);
    }
}
