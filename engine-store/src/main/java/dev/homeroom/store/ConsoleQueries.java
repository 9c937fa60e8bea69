package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
import static dev.homeroom.store.internal.jooq.Tables.DATA_WARNING;
import static dev.homeroom.store.internal.jooq.Tables.DISTRICT;
import static dev.homeroom.store.internal.jooq.Tables.RECORD_STATE;
import static dev.homeroom.store.internal.jooq.Tables.SECTION_SELECTION;
import static dev.homeroom.store.internal.jooq.Tables.SYNC_RUN;

import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.PackedText;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The reads behind the admin console's pages: districts, a district's runs, a run's warnings with their counts, records
 * found by name, and the sections waiting for selection (P22 STAGING). Every query is scoped by district and bounded:
 * pages are keyset ranges of a primary key (or a short offset over a district's runs), and a name search is a range of
 * the {@code label} index, so a page costs the same in a district of any size. Tables: {@code district},
 * {@code sync_run}, {@code data_warning}, {@code clever_record}, {@code record_state}, {@code section_selection}.
 */
@API(status = API.Status.INTERNAL)
public final class ConsoleQueries {
    /** No page is longer than this, whatever a caller asks. */
    public static final int MAX_PAGE = 500;

    private final DSLContext ctx;

    ConsoleQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    public record DistrictRow(String districtId, String name, LocalDateTime createdAt) {}

    /** A warning with its place in its run, the key a next page starts after. */
    public record NumberedWarning(int seq, WarningRow warning) {}

    public record WarningCount(String kind, String code, long count) {}

    public record RecordRow(String districtId, RecordKind kind, String cleverId, String label, String outcome, String goneRun) {}

    public record SectionRow(String cleverId, String name, String payload, String schoolId, String schoolName, String termId,
                             String termName, String courseId, String courseName, boolean selected, String outcome, String outcomeRule) {}

    private static int bounded(int limit) {
        return Math.max(1, Math.min(limit, MAX_PAGE));
    }

    /** Districts by id; with a query, only those whose id is the query or whose name contains it (any case). */
    public List<DistrictRow> districts(String query, int limit, int offset) {
        Condition where = query == null ? DSL.trueCondition()
                : DISTRICT.DISTRICT_ID.eq(query).or(DSL.lower(DISTRICT.NAME).contains(query.toLowerCase(java.util.Locale.ROOT)));
        return ctx.select(DISTRICT.DISTRICT_ID, DISTRICT.NAME, DISTRICT.CREATED_AT).from(DISTRICT).where(where)
                .orderBy(DISTRICT.DISTRICT_ID).limit(bounded(limit)).offset(Math.max(0, offset))
                .fetch(r -> new DistrictRow(r.value1(), r.value2(), r.value3()));
    }

    /** A district's runs, newest first, by the index on (district, started_at). */
    public List<RunRow> runs(String districtId, int limit, int offset) {
        return ctx.selectFrom(SYNC_RUN).where(SYNC_RUN.DISTRICT_ID.eq(districtId))
                .orderBy(SYNC_RUN.STARTED_AT.desc(), SYNC_RUN.RUN_ID.desc()).limit(bounded(limit)).offset(Math.max(0, offset))
                .fetch(r -> new RunRow(r.getRunId(), r.getDistrictId(), r.getMode(), r.getStatus(), r.getStartedAt(), r.getFinishedAt(),
                        r.getRulesHash(), r.getReport(), r.getWarnings(), r.getErrors()));
    }

    /**
     * A run's warnings after {@code afterSeq}, in the order the run wrote them, optionally only of one kind, code or
     * record (null for any). A range of the primary key (district, run, seq).
     */
    public List<NumberedWarning> warnings(String districtId, String runId, String kind, String code, String cleverId,
                                          int afterSeq, int limit) {
        Condition where = DATA_WARNING.DISTRICT_ID.eq(districtId).and(DATA_WARNING.RUN_ID.eq(runId)).and(DATA_WARNING.SEQ.gt(afterSeq));
        if (kind != null) {
            where = where.and(DATA_WARNING.KIND.eq(kind));
        }
        if (code != null) {
            where = where.and(DATA_WARNING.CODE.eq(code));
        }
        if (cleverId != null) {
            where = where.and(DATA_WARNING.CLEVER_ID.eq(cleverId));
        }
        return ctx.selectFrom(DATA_WARNING).where(where).orderBy(DATA_WARNING.SEQ).limit(bounded(limit))
                .fetch(w -> new NumberedWarning(w.getSeq(), new WarningRow(w.getRunId(), Sql.kindOf(w.getKind()), w.getCleverId(),
                        w.getCode(), w.getField(), w.getMessage(), w.getRuleId())));
    }

    /** How many warnings of each kind and code a run wrote; one grouped statement over the run's key range. */
    public List<WarningCount> warningCounts(String districtId, String runId) {
        return ctx.select(DATA_WARNING.KIND, DATA_WARNING.CODE, DSL.count()).from(DATA_WARNING)
                .where(DATA_WARNING.DISTRICT_ID.eq(districtId), DATA_WARNING.RUN_ID.eq(runId))
                .groupBy(DATA_WARNING.KIND, DATA_WARNING.CODE).orderBy(DATA_WARNING.KIND, DATA_WARNING.CODE)
                .fetch(r -> new WarningCount(r.value1(), r.value2(), r.value3()));
    }

    /**
     * Records of a district whose label (a user's last name, a section's, school's, term's or course's name) starts with
     * {@code prefix}, as typed or with its first letter upper case. Each spelling is a range of the index on (district,
     * kind, label), so the search reads only what it returns whatever the database's collation.
     */
    public List<RecordRow> findByLabel(String districtId, RecordKind kind, String prefix, int limit) {
        List<String> spellings = new ArrayList<>(List.of(prefix));
        String capital = prefix.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + prefix.substring(1);
        if (!capital.equals(prefix)) {
            spellings.add(capital);
        }
        List<RecordRow> out = new ArrayList<>();
        for (String p : spellings) {
            var r = CLEVER_RECORD;
            ctx.select(r.DISTRICT_ID, r.KIND, r.CLEVER_ID, r.LABEL, RECORD_STATE.OUTCOME, r.GONE_RUN).from(r)
                    .leftJoin(RECORD_STATE).on(RECORD_STATE.DISTRICT_ID.eq(r.DISTRICT_ID), RECORD_STATE.KIND.eq(r.KIND),
                            RECORD_STATE.CLEVER_ID.eq(r.CLEVER_ID))
                    .where(r.DISTRICT_ID.eq(districtId), r.KIND.eq(kind.label()), r.LABEL.ge(p), r.LABEL.lt(p + '\uffff'))
                    .orderBy(r.LABEL, r.CLEVER_ID).limit(bounded(limit))
                    .forEach(x -> out.add(new RecordRow(x.value1(), Sql.kindOf(x.value2()), x.value3(), x.value4(), x.value5(), x.value6())));
        }
        return out.stream().distinct().limit(bounded(limit)).toList();
    }

    /** A record by its Clever id in one district (any kind), or none. */
    public List<RecordRow> byId(String districtId, String cleverId) {
        var r = CLEVER_RECORD;
        return ctx.select(r.DISTRICT_ID, r.KIND, r.CLEVER_ID, r.LABEL, RECORD_STATE.OUTCOME, r.GONE_RUN).from(r)
                .leftJoin(RECORD_STATE).on(RECORD_STATE.DISTRICT_ID.eq(r.DISTRICT_ID), RECORD_STATE.KIND.eq(r.KIND),
                        RECORD_STATE.CLEVER_ID.eq(r.CLEVER_ID))
                .where(r.DISTRICT_ID.eq(districtId), r.KIND.in(ShadowStore.ALL_KINDS), r.CLEVER_ID.eq(cleverId))
                .fetch(x -> new RecordRow(x.value1(), Sql.kindOf(x.value2()), x.value3(), x.value4(), x.value5(), x.value6()));
    }

    /**
     * A district's sections Clever shares now, after {@code afterId} in id order, with their school, term and course
     * names and whether an admin selected them; optionally only those of one school, term or course (ids) and whose
     * subject or grade is exactly the one given, or only the selected or unselected ones. A keyset range of the primary
     * key; school, term and course names come by primary key too.
     */
    public List<SectionRow> sections(String districtId, String schoolId, String termId, String courseId, String subject,
                                     String grade, Boolean selected, String afterId, int limit) {
        var s = CLEVER_RECORD.as("s");
        var school = CLEVER_RECORD.as("sch");
        var term = CLEVER_RECORD.as("trm");
        var course = CLEVER_RECORD.as("crs");
        var sel = SECTION_SELECTION;
        Condition where = s.DISTRICT_ID.eq(districtId).and(s.KIND.eq(RecordKind.SECTION.label())).and(s.GONE_RUN.isNull());
        if (afterId != null) {
            where = where.and(s.CLEVER_ID.gt(afterId));
        }
        if (schoolId != null) {
            where = where.and(s.REF_SCHOOL.eq(schoolId));
        }
        if (termId != null) {
            where = where.and(s.REF_TERM.eq(termId));
        }
        if (courseId != null) {
            where = where.and(s.REF_COURSE.eq(courseId));
        }
        if (subject != null) {
            where = where.and(s.SECTION_SUBJECT.eq(subject));
        }
        if (grade != null) {
            where = where.and(s.SECTION_GRADE.eq(grade));
        }
        if (selected != null) {
            where = where.and(selected ? sel.SECTION_ID.isNotNull() : sel.SECTION_ID.isNull());
        }
        return ctx.select(s.CLEVER_ID, s.LABEL, s.BODY, s.REF_SCHOOL, school.LABEL, s.REF_TERM, term.LABEL, s.REF_COURSE, course.LABEL,
                        sel.SECTION_ID, RECORD_STATE.OUTCOME, RECORD_STATE.OUTCOME_RULE)
                .from(s)
                .leftJoin(sel).on(sel.DISTRICT_ID.eq(s.DISTRICT_ID), sel.SECTION_ID.eq(s.CLEVER_ID))
                .leftJoin(school).on(school.DISTRICT_ID.eq(s.DISTRICT_ID), school.KIND.eq(RecordKind.SCHOOL.label()), school.CLEVER_ID.eq(s.REF_SCHOOL))
                .leftJoin(term).on(term.DISTRICT_ID.eq(s.DISTRICT_ID), term.KIND.eq(RecordKind.TERM.label()), term.CLEVER_ID.eq(s.REF_TERM))
                .leftJoin(course).on(course.DISTRICT_ID.eq(s.DISTRICT_ID), course.KIND.eq(RecordKind.COURSE.label()), course.CLEVER_ID.eq(s.REF_COURSE))
                .leftJoin(RECORD_STATE).on(RECORD_STATE.DISTRICT_ID.eq(s.DISTRICT_ID), RECORD_STATE.KIND.eq(s.KIND),
                        RECORD_STATE.CLEVER_ID.eq(s.CLEVER_ID))
                .where(where).orderBy(s.CLEVER_ID).limit(bounded(limit))
                .fetch(x -> new SectionRow(x.value1(), x.value2(), PackedText.unpack(x.value3()), x.value4(), x.value5(), x.value6(), x.value7(), x.value8(),
                        x.value9(), x.value10() != null, x.value11(), x.value12()));
    }

    /** A district's records of one kind (schools, terms, courses: the console's filter choices), at most {@code limit}. */
    public List<RecordRow> records(String districtId, RecordKind kind, int limit) {
        var r = CLEVER_RECORD;
        return ctx.select(r.DISTRICT_ID, r.KIND, r.CLEVER_ID, r.LABEL, r.GONE_RUN).from(r)
                .where(r.DISTRICT_ID.eq(districtId), r.KIND.eq(kind.label()), r.GONE_RUN.isNull())
                .orderBy(r.CLEVER_ID).limit(bounded(limit))
                .fetch(x -> new RecordRow(x.value1(), Sql.kindOf(x.value2()), x.value3(), x.value4(), null, x.value5()));
    }

    /** Which of these ids the district's Clever shares now as this kind; one join per 1000 ids. */
    public List<String> shared(String districtId, RecordKind kind, List<String> ids) {
        List<String> out = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            ctx.select(CLEVER_RECORD.CLEVER_ID).from(Sql.joinIds(CLEVER_RECORD, CLEVER_RECORD.CLEVER_ID, chunk))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()), CLEVER_RECORD.GONE_RUN.isNull())
                    .forEach(x -> out.add(x.value1()));
        }
        return out;
    }
}
