package dev.homeroom.rules;

import dev.homeroom.spi.Policies;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.SectionFact;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/** Section helpers the rule files call (P10 display names, P11 subjects, P12 grades, P22 filters). */
@API(status = API.Status.EXPERIMENTAL)
public final class Sections {
    private Sections() {}

    /** {@code course name - teacher last name - period}, leaving out missing parts; the Clever id when all are missing. */
    public static String displayName(SectionFact s) {
        List<String> parts = new ArrayList<>(3);
        if (!FieldText.isBlank(s.courseName())) parts.add(FieldText.clean(s.courseName()));
        if (!FieldText.isBlank(s.teacherLastName())) parts.add(FieldText.clean(s.teacherLastName()));
        if (s.section() != null && !FieldText.isBlank(s.section().period())) parts.add("Period " + FieldText.clean(s.section().period()));
        if (parts.isEmpty()) {
            return "Section " + (s.section() == null ? "" : s.section().id());
        }
        return String.join(" - ", parts);
    }

    /** The mapped subject for the section's course under P11 MAP, or null when the mapping table has none. */
    public static String mappedSubject(SectionFact s, Policies p) {
        return s.courseName() == null ? null : p.get(PolicyCatalog.SUBJECT_MAP_PREFIX + s.courseName().strip());
    }

    /** True when the subject is one of Clever's values (blank counts as known: Clever may send ""). */
    public static boolean knownSubject(String subject) {
        return subject == null || subject.isEmpty() || PolicyCatalog.CLEVER_SUBJECTS.contains(subject);
    }

    /** True when the grade is a K–12 grade (or a pre-K one) the engine can use. */
    public static boolean usableGrade(String grade) {
        return SchoolYear.gradeNumber(grade) != null;
    }

    /** P22 RULE: the section matches every non-empty {@code sections.filter.*} list. */
    public static boolean acceptedByFilter(SectionFact s, Policies p) {
        Section sec = s.section();
        if (sec == null) {
            return false;
        }
        return matches(p.get("sections.filter.subjects", ""), sec.subject())
                && matches(p.get("sections.filter.grades", ""), sec.grade())
                && matches(p.get("sections.filter.schools", ""), sec.school())
                && matches(p.get("sections.filter.courses", ""), sec.course());
    }

    private static boolean matches(String list, String value) {
        if (list == null || list.isBlank()) {
            return true;
        }
        return value != null && Arrays.stream(list.split(",")).map(String::strip).anyMatch(v -> v.equalsIgnoreCase(value.strip()));
    }
}
