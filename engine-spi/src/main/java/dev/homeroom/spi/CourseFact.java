package dev.homeroom.spi;

import org.apiguardian.api.API;

@API(status = API.Status.STABLE)
public record CourseFact(String districtId, Course course, Change change, Outcome previousOutcome, int sectionCount) {
    public String id() {
        return course.id();
    }

    public boolean isGone() {
        return change == Change.GONE;
    }
}
