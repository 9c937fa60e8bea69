package dev.homeroom.store;

import java.util.List;
import org.apiguardian.api.API;

/** The users one section lists: students, and its primary teacher with co-teachers. */
@API(status = API.Status.INTERNAL)
public record SectionEnrollment(String sectionId, String schoolId, List<String> students, List<String> teachers) {
    public SectionEnrollment {
        students = List.copyOf(students);
        teachers = List.copyOf(teachers);
    }
}
