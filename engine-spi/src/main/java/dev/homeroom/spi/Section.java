package dev.homeroom.spi;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/** A section (a class). {@code teacher} is the primary teacher; {@code teachers} may include co-teachers. */
@API(status = API.Status.STABLE)
public record Section(
        String id,
        String district,
        String name,
        String created,
        String lastModified,
        String course,
        String grade,
        String period,
        String school,
        String sectionNumber,
        String sisId,
        List<String> students,
        String subject,
        String teacher,
        List<String> teachers,
        String termId,
        Map<String, Object> ext) implements CleverRecord {

    public Section {
        students = Immutables.list(students);
        teachers = Immutables.list(teachers);
        ext = Immutables.map(ext);
    }

    @Override
    public RecordKind kind() {
        return RecordKind.SECTION;
    }

    /** The primary teacher and co-teachers, without duplicates, primary first. */
    public List<String> allTeachers() {
        if (teacher == null || teachers.contains(teacher)) {
            return teachers;
        }
        java.util.ArrayList<String> all = new java.util.ArrayList<>(teachers.size() + 1);
        all.add(teacher);
        all.addAll(teachers);
        return List.copyOf(all);
    }

    public Section withName(String newName) {
        return new Section(id, district, newName, created, lastModified, course, grade, period, school,
                sectionNumber, sisId, students, subject, teacher, teachers, termId, ext);
    }
}
