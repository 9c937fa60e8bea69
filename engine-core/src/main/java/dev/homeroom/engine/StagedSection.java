package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * A section Clever shares, as the staging page lists it (P22 {@code sections.filter = STAGING}): its school, term and
 * course (ids and names), subject and grade, whether an admin selected it, and its current outcome and the rule behind
 * it (null before any run decided it).
 */
@API(status = API.Status.EXPERIMENTAL)
public record StagedSection(String cleverId, String name, String schoolId, String schoolName, String termId, String termName,
                            String courseId, String courseName, String subject, String grade, boolean selected, String outcome,
                            String outcomeRule) {}
