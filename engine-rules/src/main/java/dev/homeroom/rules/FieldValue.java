package dev.homeroom.rules;

import dev.homeroom.spi.CourseFact;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.SchoolFact;
import dev.homeroom.spi.SectionFact;
import dev.homeroom.spi.TermFact;
import dev.homeroom.spi.User;
import dev.homeroom.spi.UserFact;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One text field of a record that needs attention under P7 (too long) or P8 (invalid characters, edge space);
 * rule files iterate them with {@code $f : FieldValue() from FieldValue.ofUser($u, $p)}. Records whose fields are
 * all clean yield an empty list, so clean data costs one scan per field.
 *
 * @param field      {@code name.first}, {@code name.middle}, {@code name.last}, {@code email} (users), {@code name}
 *                   (sections, schools, terms, courses)
 * @param invalid    the value holds control characters, invalid code points or leading/trailing space
 * @param tooLong    once cleaned, the value is longer than {@code maxLength} code points
 */
@API(status = API.Status.EXPERIMENTAL)
public record FieldValue(RecordKind kind, String cleverId, String field, String value, int maxLength,
                         boolean invalid, boolean tooLong) {

    /** The fields of a user that need attention. */
    public static List<FieldValue> ofUser(UserFact u, Policies p) {
        if (u == null || u.user() == null || u.user().id() == null) {
            return List.of();
        }
        List<FieldValue> out = null;
        int name = p.getInt("fields.max_length.name", 100);
        String id = u.user().id();
        out = add(out, RecordKind.USER, id, "name.first", u.user().name().first(), name);
        out = add(out, RecordKind.USER, id, "name.middle", u.user().name().middle(), name);
        out = add(out, RecordKind.USER, id, "name.last", u.user().name().last(), name);
        out = add(out, RecordKind.USER, id, "email", u.user().email(), p.getInt("fields.max_length.email", 254));
        return out == null ? List.of() : out;
    }

    /** The fields of a section that need attention. */
    public static List<FieldValue> ofSection(SectionFact s, Policies p) {
        if (s == null || s.section() == null || s.section().id() == null) {
            return List.of();
        }
        List<FieldValue> out = add(null, RecordKind.SECTION, s.section().id(), "name", s.section().name(),
                p.getInt("fields.max_length.section_name", 255));
        return out == null ? List.of() : out;
    }

    /** The name of a school that needs attention. */
    public static List<FieldValue> ofSchool(SchoolFact s, Policies p) {
        return s == null || s.school() == null ? List.of() : ofName(RecordKind.SCHOOL, s.school().id(), s.school().name(), p);
    }

    /** The name of a term that needs attention. */
    public static List<FieldValue> ofTerm(TermFact t, Policies p) {
        return t == null || t.term() == null ? List.of() : ofName(RecordKind.TERM, t.term().id(), t.term().name(), p);
    }

    /** The name of a course that needs attention. */
    public static List<FieldValue> ofCourse(CourseFact c, Policies p) {
        return c == null || c.course() == null ? List.of() : ofName(RecordKind.COURSE, c.course().id(), c.course().name(), p);
    }

    private static List<FieldValue> ofName(RecordKind kind, String id, String name, Policies p) {
        if (id == null) {
            return List.of();
        }
        List<FieldValue> out = add(null, kind, id, "name", name, p.getInt("fields.max_length.name", 100));
        return out == null ? List.of() : out;
    }

    /** The value as P8 STRIP + P7 TRUNCATE leave it. */
    public String cleanedAndTruncated() {
        return FieldText.cleanAndTruncate(value, maxLength);
    }

    public String cleaned() {
        return FieldText.clean(value);
    }

    /**
     * Sensitive fields (P20) a student record carries although the {@code sensitive.fields} policy did not enable
     * them; the fetch should have dropped them, so a rule blanks them and warns.
     */
    public static List<String> sensitiveNotEnabled(UserFact u, Policies p) {
        if (u == null || u.user() == null) {
            return List.of();
        }
        User.Student s = u.user().roles().student();
        if (s == null) {
            return List.of();
        }
        List<String> enabled = List.of(p.get("sensitive.fields", "").split(","));
        List<String> out = new ArrayList<>(0);
        check(out, enabled, "iep_status", s.iepStatus());
        check(out, enabled, "ell_status", s.ellStatus());
        check(out, enabled, "frl_status", s.frlStatus());
        check(out, enabled, "disability", s.disability());
        check(out, enabled, "gifted_status", s.giftedStatus());
        check(out, enabled, "section_504_status", s.section504Status());
        check(out, enabled, "race", s.race());
        check(out, enabled, "hispanic_ethnicity", s.hispanicEthnicity());
        check(out, enabled, "home_language", s.homeLanguage());
        return out;
    }

    private static void check(List<String> out, List<String> enabled, String field, String value) {
        if (value != null && !enabled.contains(field)) {
            out.add(field);
        }
    }

    private static List<FieldValue> add(List<FieldValue> out, RecordKind kind, String id, String field, String value, int max) {
        if (value == null) {
            return out;
        }
        boolean invalid = FieldText.needsCleaning(value);
        boolean tooLong = FieldText.tooLong(value, max);
        if (!invalid && !tooLong) {
            return out;
        }
        List<FieldValue> list = out == null ? new ArrayList<>(2) : out;
        list.add(new FieldValue(kind, id, field, value, max, invalid, tooLong));
        return list;
    }
}
