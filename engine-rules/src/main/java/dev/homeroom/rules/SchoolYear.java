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
     * -1, Preschool -2, InfantToddler -3; null for PostGraduate, Ungraded, Other, blank or anything else. Names are
     * matched ignoring case (districts send {@code Postgraduate} and {@code PostGraduate}).
     */
    public static Integer gradeNumber(String grade) {
        if (grade == null) {
            return null;
        }
        String g = grade.strip().toLowerCase(java.util.Locale.ROOT);
        switch (g) {
            case "kindergarten": return 0;
            case "prekindergarten":
            case "transitionalkindergarten": return -1;
            case "preschool": return -2;
            case "infanttoddler": return -3;
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

    /**
     * The graduation year of a student in this grade (grade 12 graduates at the end of the current year), or null when
     * none follows from it. Pre-kindergarten and transitional kindergarten are the year before kindergarten, so they
     * graduate one year after it. Preschool and InfantToddler give none: those programs span several ages with no fixed
     * year before kindergarten, and an inferred year is written once and kept, so a guess would stay wrong. PostGraduate,
     * 13, Ungraded and Other give none either.
     */
    public static String inferGraduationYear(Policies policies, String grade) {
        if (!canInferGraduationYear(grade)) {
            return null;
        }
        return Integer.toString(endYear(policies) + 12 - gradeNumber(grade));
    }

    /** True when a graduation year follows from this grade (pre-K and TK to 12; see {@link #inferGraduationYear}). */
    public static boolean canInferGraduationYear(String grade) {
        Integer g = gradeNumber(grade);
        return g != null && g >= -1 && g <= 12;
    }
}
