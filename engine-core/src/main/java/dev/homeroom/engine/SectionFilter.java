package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * Which sections {@link SyncEngine#sections} lists: each field null for any, else an exact school, term or course id,
 * subject or grade, and {@code selected} true or false for only the selected or unselected ones. Blank values count as
 * null.
 */
@API(status = API.Status.EXPERIMENTAL)
public record SectionFilter(String schoolId, String termId, String courseId, String subject, String grade, Boolean selected) {
    public static final SectionFilter ANY = new SectionFilter(null, null, null, null, null, null);

    public SectionFilter {
        schoolId = blankToNull(schoolId);
        termId = blankToNull(termId);
        courseId = blankToNull(courseId);
        subject = blankToNull(subject);
        grade = blankToNull(grade);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
