package dev.homeroom.rules;

import dev.homeroom.spi.Dates;
import dev.homeroom.spi.Policies;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apiguardian.api.API;

/**
 * School-year arithmetic the rule files call (P5 filler dob, P6 graduation year). The current school year comes
 * from the {@code school_year.end} policy, so scenarios pin it and results do not depend on the day tests run.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SchoolYear {
    private SchoolYear() {}

    /** The calendar year the current school year ends in: the policy value, or (AUTO) this year before July, else next. */
    public static int endYear(Policies policies) {
        String v = policies.get("school_year.end", "AUTO");
        if (v != null && v.strip().matches("\\d{4}")) {
            return Integer.parseInt(v.strip());
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return today.getMonthValue() >= 7 ? today.getYear() + 1 : today.getYear();
    }

    /**
     * A Clever grade as a number: Kindergarten 0, "1".."13" as themselves, PreKindergarten/TransitionalKindergarten
     * -1, Preschool -2, InfantToddler -3; null for PostGraduate, Ungraded, Other, blank or anything else.
     */
    public static Integer gradeNumber(String grade) {
        if (grade == null) {
            return null;
        }
        String g = grade.strip();
        switch (g) {
            case "Kindergarten": return 0;
            case "PreKindergarten":
            case "TransitionalKindergarten": return -1;
            case "Preschool": return -2;
            case "InfantToddler": return -3;
            default:
                if (g.matches("\\d{1,2}")) {
                    int n = Integer.parseInt(g);
                    return n >= 1 && n <= 13 ? n : null;
                }
                return null;
        }
    }

    /**
     * The filler dob (M/D/YYYY): the {@code student.dob.filler} policy's date, or (AUTO) January 1 of the year a
     * student of this grade typically turns six plus grade in the current school year. An unknown grade gets the
     * kindergarten year: a filler should make a student look young rather than old, which is the privacy-safe side.
     */
    public static String fillerDob(Policies policies, String grade) {
        String fixed = policies.get("student.dob.filler", "AUTO");
        if (fixed != null && !fixed.equalsIgnoreCase("AUTO")) {
            var parsed = Dates.parseCleverDob(fixed);
            if (parsed.isPresent()) {
                return Dates.formatCleverDob(parsed.get());
            }
        }
        Integer g = gradeNumber(grade);
        int gradeOrK = g == null || g > 12 ? 0 : g;
        return "1/1/" + (endYear(policies) - 6 - gradeOrK);
    }

    /** The graduation year of a student in this grade (grade 12 graduates at the end of the current year); null when the grade is not a K–12 grade. */
    public static String inferGraduationYear(Policies policies, String grade) {
        Integer g = gradeNumber(grade);
        if (g == null || g < 0 || g > 12) {
            return null;
        }
        return Integer.toString(endYear(policies) + 12 - g);
    }

    /** True when a graduation year could be inferred for this grade. */
    public static boolean canInferGraduationYear(String grade) {
        Integer g = gradeNumber(grade);
        return g != null && g >= 0 && g <= 12;
    }
}
