package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_ENROLLMENT;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_JOURNAL;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
import static dev.homeroom.store.internal.jooq.Tables.DATA_WARNING;
import static dev.homeroom.store.internal.jooq.Tables.DECISION;
import static dev.homeroom.store.internal.jooq.Tables.DISTRICT;
import static dev.homeroom.store.internal.jooq.Tables.OUTBOX;
import static dev.homeroom.store.internal.jooq.Tables.OUTCOME_HISTORY;
import static dev.homeroom.store.internal.jooq.Tables.RECORD_STATE;
import static dev.homeroom.store.internal.jooq.Tables.SECTION_SELECTION;
import static dev.homeroom.store.internal.jooq.Tables.SYNC_RUN;

import dev.homeroom.spi.Change;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.ContentHash;
import dev.homeroom.store.internal.jooq.tables.records.CleverRecordRecord;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Row1;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The store's operations, bound to one connection or transaction (from {@link Store#transaction}). Every operation is
 * scoped by district. jOOQ types never leave this module: the core speaks in the row records of this package.
 */
@API(status = API.Status.INTERNAL)
public final class StoreSession {
    /** IN lists are cut to this size: H2's parser slows super-linearly on long lists. */
    private static final int CHUNK = 1000;

    private final DSLContext ctx;
    private final Vendor vendor;
    private final Map<String, Integer> outboxSeq = new HashMap<>();
    private final Map<String, Integer> warningSeq = new HashMap<>();
    private final List<EditConflict> editConflicts = new ArrayList<>();

    StoreSession(DSLContext ctx, Vendor vendor) {
        this.ctx = ctx;
        this.vendor = vendor;
    }

    public Vendor vendor() {
        return vendor;
    }

    // ---------------------------------------------------------------- districts and runs

    public void ensureDistrict(String districtId, String name) {
        int updated = ctx.update(DISTRICT).set(DISTRICT.NAME, name).where(DISTRICT.DISTRICT_ID.eq(districtId)).execute();
        if (updated == 0) {
            ctx.insertInto(DISTRICT)
                    .set(DISTRICT.DISTRICT_ID, districtId)
                    .set(DISTRICT.NAME, name)
                    .set(DISTRICT.CREATED_AT, LocalDateTime.now(java.time.ZoneOffset.UTC))
                    .execute();
        }
    }

    /**
     * Makes sure the district has its row (in a transaction of its own, before a run locks it). Reads first: an upsert
     * would wait for a run that holds the row's lock.
     */
    public void registerDistrict(String districtId, String name) {
        if (ctx.fetchExists(DISTRICT, DISTRICT.DISTRICT_ID.eq(districtId))) {
            return;
        }
        ctx.insertInto(DISTRICT)
                .set(DISTRICT.DISTRICT_ID, districtId)
                .set(DISTRICT.NAME, name)
                .set(DISTRICT.CREATED_AT, LocalDateTime.now(java.time.ZoneOffset.UTC))
                .onConflictDoNothing()
                .execute();
    }

    /**
     * Takes the district's row lock for the rest of this transaction, so that one instance at a time syncs a district
     * when several hosts share one database. Returns false at once, without waiting, when another transaction holds it.
     */
    public boolean claimDistrict(String districtId) {
        return ctx.select(DISTRICT.DISTRICT_ID).from(DISTRICT).where(DISTRICT.DISTRICT_ID.eq(districtId))
                .forUpdate().skipLocked()
                .fetchOptional().isPresent();
    }

    public Optional<String> eventCursor(String districtId) {
        return ctx.select(DISTRICT.EVENT_CURSOR).from(DISTRICT).where(DISTRICT.DISTRICT_ID.eq(districtId))
                .fetchOptional(DISTRICT.EVENT_CURSOR);
    }

    public void setEventCursor(String districtId, String cursor) {
        ctx.update(DISTRICT).set(DISTRICT.EVENT_CURSOR, cursor).where(DISTRICT.DISTRICT_ID.eq(districtId)).execute();
    }

    public void insertRun(String runId, String districtId, String mode, String status, LocalDateTime startedAt) {
        ctx.insertInto(SYNC_RUN)
                .set(SYNC_RUN.RUN_ID, runId)
                .set(SYNC_RUN.DISTRICT_ID, districtId)
                .set(SYNC_RUN.MODE, mode)
                .set(SYNC_RUN.STATUS, status)
                .set(SYNC_RUN.STARTED_AT, startedAt)
                .execute();
    }

    public void finishRun(String runId, String status, LocalDateTime finishedAt, String rulesHash, String report,
                          int warnings, int errors) {
        ctx.update(SYNC_RUN)
                .set(SYNC_RUN.STATUS, status)
                .set(SYNC_RUN.FINISHED_AT, finishedAt)
                .set(SYNC_RUN.RULES_HASH, rulesHash)
                .set(SYNC_RUN.REPORT, report)
                .set(SYNC_RUN.WARNINGS, warnings)
                .set(SYNC_RUN.ERRORS, errors)
                .where(SYNC_RUN.RUN_ID.eq(runId))
                .execute();
    }

    /** Changes a run's status, e.g. a HALTED run to APPROVED once its plan was applied by another run. */
    public void setRunStatus(String runId, String status) {
        ctx.update(SYNC_RUN).set(SYNC_RUN.STATUS, status).where(SYNC_RUN.RUN_ID.eq(runId)).execute();
    }

    /** Writes a whole run record at once (used for runs whose work was rolled back: plans, halted and failed runs). */
    public void recordRun(RunRow run) {
        ctx.insertInto(SYNC_RUN)
                .set(SYNC_RUN.RUN_ID, run.runId())
                .set(SYNC_RUN.DISTRICT_ID, run.districtId())
                .set(SYNC_RUN.MODE, run.mode())
                .set(SYNC_RUN.STATUS, run.status())
                .set(SYNC_RUN.STARTED_AT, run.startedAt())
                .set(SYNC_RUN.FINISHED_AT, run.finishedAt())
                .set(SYNC_RUN.RULES_HASH, run.rulesHash())
                .set(SYNC_RUN.REPORT, run.report())
                .set(SYNC_RUN.WARNINGS, run.warnings())
                .set(SYNC_RUN.ERRORS, run.errors())
                .execute();
    }

    public List<RunRow> runs(String districtId, int limit) {
        Condition where = districtId == null ? DSL.trueCondition() : SYNC_RUN.DISTRICT_ID.eq(districtId);
        return ctx.selectFrom(SYNC_RUN).where(where).orderBy(SYNC_RUN.STARTED_AT.desc(), SYNC_RUN.RUN_ID.desc()).limit(limit)
                .fetch(StoreSession::runRow);
    }

    public Optional<RunRow> run(String runId) {
        return ctx.selectFrom(SYNC_RUN).where(SYNC_RUN.RUN_ID.eq(runId)).fetchOptional(StoreSession::runRow);
    }

    private static RunRow runRow(dev.homeroom.store.internal.jooq.tables.records.SyncRunRecord r) {
        return new RunRow(r.getRunId(), r.getDistrictId(), r.getMode(), r.getStatus(), r.getStartedAt(), r.getFinishedAt(),
                r.getRulesHash(), r.getReport(), r.getWarnings(), r.getErrors());
    }

    // ---------------------------------------------------------------- shadow

    /**
     * Applies one fetched page to the shadow: new records are inserted, changed ones updated, unchanged ones only marked
     * as seen by this run. Each created or updated record is journaled.
     */
    public PageDiff applyPage(String districtId, String runId, List<ShadowRecord> page) {
        if (page.isEmpty()) {
            return new PageDiff(List.of(), List.of(), 0);
        }
        RecordKind kind = page.get(0).kind();
        Map<String, CleverRecordRecord> existing = new HashMap<>();
        for (List<String> ids : chunks(page.stream().map(ShadowRecord::cleverId).toList())) {
            ctx.select(CLEVER_RECORD.fields()).from(CLEVER_RECORD.join(idTable(ids)).on(CLEVER_RECORD.CLEVER_ID.eq(ID)))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()))
                    .fetchInto(CLEVER_RECORD)
                    .forEach(r -> existing.put(r.getCleverId(), r));
        }
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Writes writes = new Writes();
        for (ShadowRecord rec : page) {
            CleverRecordRecord old = existing.get(rec.cleverId());
            if (old == null) {
                Map<Field<?>, Object> row = shadowColumns(rec, runId);
                row.put(CLEVER_RECORD.DISTRICT_ID, districtId);
                row.put(CLEVER_RECORD.KIND, kind.label());
                row.put(CLEVER_RECORD.CLEVER_ID, rec.cleverId());
                row.put(CLEVER_RECORD.FIRST_SEEN_RUN, runId);
                writes.insert(CLEVER_RECORD, row);
                created.add(rec.cleverId());
            } else if (old.getGoneRun() != null || !old.getContentHash().equals(rec.contentHash())) {
                Map<Field<?>, Object> row = shadowColumns(rec, runId);
                row.put(CLEVER_RECORD.GONE_RUN, null);
                writes.add(ctx.update(CLEVER_RECORD).set(row).where(recordKey(districtId, kind, rec.cleverId())));
                (old.getGoneRun() != null ? created : updated).add(rec.cleverId());
            } else {
                seen.add(rec.cleverId());
            }
        }
        if (!seen.isEmpty()) {
            var markSeen = ctx.update(CLEVER_RECORD).set(CLEVER_RECORD.LAST_SEEN_RUN, (String) null)
                    .where(CLEVER_RECORD.DISTRICT_ID.eq((String) null), CLEVER_RECORD.KIND.eq((String) null),
                            CLEVER_RECORD.CLEVER_ID.eq((String) null));
            var batch = ctx.batch(markSeen);
            for (String id : seen) {
                batch.bind(runId, districtId, kind.label(), id);
            }
            batch.execute();
        }
        // a record met twice in one run (on two pages, or in two events) keeps one journal row: the last change
        List<String> changed = new ArrayList<>(created);
        changed.addAll(updated);
        forgetJournal(districtId, runId, kind, changed);
        for (String id : created) {
            journal(writes, districtId, runId, kind, id, Change.CREATED);
        }
        for (String id : updated) {
            journal(writes, districtId, runId, kind, id, Change.UPDATED);
        }
        writes.execute();
        return new PageDiff(created, updated, seen.size());
    }

    /** The columns a fetched record sets, whether it is new or changed. */
    private static Map<Field<?>, Object> shadowColumns(ShadowRecord rec, String runId) {
        Map<Field<?>, Object> row = new LinkedHashMap<>();
        row.put(CLEVER_RECORD.CONTENT_HASH, rec.contentHash());
        row.put(CLEVER_RECORD.PAYLOAD, rec.payload());
        row.put(CLEVER_RECORD.LAST_SEEN_RUN, runId);
        row.put(CLEVER_RECORD.CHANGED_RUN, runId);
        row.put(CLEVER_RECORD.EMAIL_KEY, rec.emailKey());
        row.put(CLEVER_RECORD.SIS_ID, rec.sisId());
        row.put(CLEVER_RECORD.LABEL, rec.label());
        row.put(CLEVER_RECORD.REF_TERM, rec.refTerm());
        row.put(CLEVER_RECORD.REF_COURSE, rec.refCourse());
        row.put(CLEVER_RECORD.REF_TEACHER, rec.refTeacher());
        row.put(CLEVER_RECORD.REF_SCHOOL, rec.refSchool());
        return row;
    }

    private void forgetJournal(String districtId, String runId, RecordKind kind, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        var delete = ctx.batch(ctx.deleteFrom(CLEVER_JOURNAL).where(CLEVER_JOURNAL.DISTRICT_ID.eq((String) null),
                CLEVER_JOURNAL.RUN_ID.eq((String) null), CLEVER_JOURNAL.KIND.eq((String) null), CLEVER_JOURNAL.CLEVER_ID.eq((String) null)));
        ids.forEach(id -> delete.bind(districtId, runId, kind.label(), id));
        delete.execute();
    }

    private void journal(Writes writes, String districtId, String runId, RecordKind kind, String id, Change change) {
        writes.insert(CLEVER_JOURNAL)
                .set(CLEVER_JOURNAL.DISTRICT_ID, districtId)
                .set(CLEVER_JOURNAL.RUN_ID, runId)
                .set(CLEVER_JOURNAL.KIND, kind.label())
                .set(CLEVER_JOURNAL.CLEVER_ID, id)
                .set(CLEVER_JOURNAL.CHANGE, change.name());
    }

    /**
     * Marks every record of a kind that this run did not see as gone, journals it, and drops the enrollments of gone
     * sections. Returns the ids that went away.
     */
    public List<String> markGone(String districtId, String runId, RecordKind kind) {
        List<String> gone = ctx.select(CLEVER_RECORD.CLEVER_ID).from(CLEVER_RECORD)
                .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()),
                        CLEVER_RECORD.LAST_SEEN_RUN.ne(runId), CLEVER_RECORD.GONE_RUN.isNull())
                .fetch(CLEVER_RECORD.CLEVER_ID);
        markGone(districtId, runId, kind, gone);
        return gone;
    }

    /**
     * Marks these records as gone in this run (Clever deleted or unshared them: a {@code *.deleted} event), journals
     * it, and drops the enrollments of gone sections. Ids the shadow does not hold, or holds as gone already, are ignored.
     */
    public void markGone(String districtId, String runId, RecordKind kind, List<String> ids) {
        for (List<String> chunk : chunks(ids)) {
            List<String> present = ctx.select(CLEVER_RECORD.CLEVER_ID).from(CLEVER_RECORD.join(idTable(chunk)).on(CLEVER_RECORD.CLEVER_ID.eq(ID)))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()), CLEVER_RECORD.GONE_RUN.isNull())
                    .fetch(CLEVER_RECORD.CLEVER_ID);
            if (present.isEmpty()) {
                continue;
            }
            var markGone = ctx.batch(ctx.update(CLEVER_RECORD).set(CLEVER_RECORD.GONE_RUN, (String) null).set(CLEVER_RECORD.CHANGED_RUN, (String) null)
                    .where(CLEVER_RECORD.DISTRICT_ID.eq((String) null), CLEVER_RECORD.KIND.eq((String) null), CLEVER_RECORD.CLEVER_ID.eq((String) null)));
            present.forEach(id -> markGone.bind(runId, runId, districtId, kind.label(), id));
            markGone.execute();
            forgetJournal(districtId, runId, kind, present);
            Writes writes = new Writes();
            present.forEach(id -> journal(writes, districtId, runId, kind, id, Change.GONE));
            writes.execute();
            if (kind == RecordKind.SECTION) {
                deleteEnrollments(districtId, present);
            }
        }
    }

    private void deleteEnrollments(String districtId, List<String> sectionIds) {
        if (sectionIds.isEmpty()) {
            return;
        }
        var delete = ctx.batch(ctx.deleteFrom(CLEVER_ENROLLMENT)
                .where(CLEVER_ENROLLMENT.DISTRICT_ID.eq((String) null), CLEVER_ENROLLMENT.SECTION_ID.eq((String) null)));
        sectionIds.forEach(id -> delete.bind(districtId, id));
        delete.execute();
    }

    /** Replaces the enrollments of these sections with the users they list now. */
    public void replaceEnrollments(String districtId, List<SectionEnrollment> sections) {
        if (sections.isEmpty()) {
            return;
        }
        deleteEnrollments(districtId, sections.stream().map(SectionEnrollment::sectionId).toList());
        var insert = ctx.batch(ctx.insertInto(CLEVER_ENROLLMENT,
                CLEVER_ENROLLMENT.DISTRICT_ID, CLEVER_ENROLLMENT.SECTION_ID, CLEVER_ENROLLMENT.USER_ID,
                CLEVER_ENROLLMENT.ROLE, CLEVER_ENROLLMENT.SCHOOL_ID).values((String) null, null, null, null, null));
        int rows = 0;
        for (SectionEnrollment s : sections) {
            // a user listed twice in one section (Clever allows it) is enrolled once
            for (String student : new TreeSet<>(s.students())) {
                insert.bind(districtId, s.sectionId(), student, "student", s.schoolId());
                rows++;
            }
            for (String teacher : new TreeSet<>(s.teachers())) {
                insert.bind(districtId, s.sectionId(), teacher, "teacher", s.schoolId());
                rows++;
            }
        }
        if (rows > 0) {
            insert.execute();
        }
    }

    public Optional<String> payload(String districtId, RecordKind kind, String cleverId) {
        return ctx.select(CLEVER_RECORD.PAYLOAD).from(CLEVER_RECORD).where(recordKey(districtId, kind, cleverId))
                .fetchOptional(CLEVER_RECORD.PAYLOAD);
    }

    /** Every district and kind a Clever id is known under (Clever ids are unique, but one store may hold many districts). */
    public List<RecordRef> find(String cleverId) {
        return ctx.select(CLEVER_RECORD.DISTRICT_ID, CLEVER_RECORD.KIND).from(CLEVER_RECORD)
                .where(CLEVER_RECORD.CLEVER_ID.eq(cleverId))
                .fetch(r -> new RecordRef(r.value1(), kindOf(r.value2()), cleverId));
    }

    /** How many records of each kind the shadow holds as currently shared. */
    public int sharedCount(String districtId, RecordKind kind) {
        return ctx.fetchCount(CLEVER_RECORD, CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()),
                CLEVER_RECORD.GONE_RUN.isNull());
    }

    /**
     * Marks records as seen by this run without changing them: a record Clever sent that could not be read or
     * transformed keeps its last good version instead of looking gone (one bad record never deactivates anything).
     */
    public void markSeen(String districtId, String runId, RecordKind kind, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        var seen = ctx.batch(ctx.update(CLEVER_RECORD).set(CLEVER_RECORD.LAST_SEEN_RUN, (String) null)
                .where(CLEVER_RECORD.DISTRICT_ID.eq((String) null), CLEVER_RECORD.KIND.eq((String) null),
                        CLEVER_RECORD.CLEVER_ID.eq((String) null), CLEVER_RECORD.GONE_RUN.isNull()));
        ids.forEach(id -> seen.bind(runId, districtId, kind.label(), id));
        seen.execute();
    }

    /**
     * Refreshes the planner's statistics after bulk writes inside a run's transaction. PostgreSQL plans the derive and
     * membership queries on row estimates; tables filled in the same transaction still look empty to it, and a nested
     * loop chosen for "1 row" turned a 600-row membership update into seconds. H2 needs nothing.
     */
    public void refreshStatistics() {
        analyze(CLEVER_RECORD, CLEVER_ENROLLMENT, RECORD_STATE, ACCOUNT, CLASSROOM, CLASSROOM_MEMBERSHIP);
    }

    private void analyze(Table<?>... tables) {
        if (vendor == Vendor.POSTGRESQL) {
            for (Table<?> t : tables) {
                ctx.execute("analyze " + t.getName());
            }
        }
    }

    // ---------------------------------------------------------------- derive: what single records cannot say, in SQL

    /**
     * Shared records that point at records Clever does not share: a section's course, school or primary teacher, a
     * user's school, and users a section enrolls. Courses are checked only when the district shares courses at all
     * (P18: a district without courses has stand-alone sections, not broken ones).
     */
    public List<DanglingReference> danglingReferences(String districtId) {
        List<DanglingReference> found = new ArrayList<>();
        boolean sharesCourses = sharedCount(districtId, RecordKind.COURSE) > 0;
        dangling(districtId, RecordKind.SECTION, CLEVER_RECORD.REF_SCHOOL, "school", RecordKind.SCHOOL, found);
        dangling(districtId, RecordKind.SECTION, CLEVER_RECORD.REF_TEACHER, "teacher", RecordKind.USER, found);
        dangling(districtId, RecordKind.USER, CLEVER_RECORD.REF_SCHOOL, "school", RecordKind.SCHOOL, found);
        if (sharesCourses) {
            dangling(districtId, RecordKind.SECTION, CLEVER_RECORD.REF_COURSE, "course", RecordKind.COURSE, found);
        }
        var e = CLEVER_ENROLLMENT;
        var u = CLEVER_RECORD.as("u");
        ctx.select(e.SECTION_ID, e.ROLE, e.USER_ID).from(e)
                .leftJoin(u).on(u.DISTRICT_ID.eq(e.DISTRICT_ID), u.KIND.eq(RecordKind.USER.label()), u.CLEVER_ID.eq(e.USER_ID), u.GONE_RUN.isNull())
                .where(e.DISTRICT_ID.eq(districtId), u.CLEVER_ID.isNull())
                .orderBy(e.SECTION_ID, e.USER_ID)
                .forEach(x -> found.add(new DanglingReference(RecordKind.SECTION, x.value1(), "student".equals(x.value2()) ? "students" : "teachers",
                        RecordKind.USER, x.value3())));
        return found;
    }

    private void dangling(String districtId, RecordKind kind, Field<String> ref, String field, RecordKind targetKind,
                          List<DanglingReference> found) {
        var r = CLEVER_RECORD.as("r");
        var t = CLEVER_RECORD.as("t");
        Field<String> refOfR = r.field(ref);
        ctx.select(r.CLEVER_ID, refOfR).from(r)
                .leftJoin(t).on(t.DISTRICT_ID.eq(r.DISTRICT_ID), t.KIND.eq(targetKind.label()), t.CLEVER_ID.eq(refOfR), t.GONE_RUN.isNull())
                .where(r.DISTRICT_ID.eq(districtId), r.KIND.eq(kind.label()), r.GONE_RUN.isNull(), refOfR.isNotNull(), t.CLEVER_ID.isNull())
                .orderBy(r.CLEVER_ID)
                .forEach(x -> found.add(new DanglingReference(kind, x.value1(), field, targetKind, x.value2())));
    }


    /**
     * The next batch of records of a kind to decide, after {@code afterId} in id order: those shared now and those that
     * went away in this run. Each row carries what the derive step computed (see {@link FactRow}).
     */
    public List<FactRow> facts(String districtId, String runId, RecordKind kind, String afterId, int limit) {
        var r = CLEVER_RECORD;
        var rows = ctx.select(r.CLEVER_ID, r.PAYLOAD, r.FIRST_SEEN_RUN, r.CHANGED_RUN, r.GONE_RUN, r.EMAIL_KEY, r.SIS_ID,
                        RECORD_STATE.OUTCOME, RECORD_STATE.DECISION_HASH)
                .from(r)
                .leftJoin(RECORD_STATE).on(RECORD_STATE.DISTRICT_ID.eq(r.DISTRICT_ID), RECORD_STATE.KIND.eq(r.KIND),
                        RECORD_STATE.CLEVER_ID.eq(r.CLEVER_ID))
                .where(r.DISTRICT_ID.eq(districtId), r.KIND.eq(kind.label()), r.GONE_RUN.isNull().or(r.GONE_RUN.eq(runId)),
                        afterId == null ? DSL.trueCondition() : r.CLEVER_ID.gt(afterId))
                .orderBy(r.CLEVER_ID)
                .limit(limit)
                .fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        String first = rows.get(0).get(r.CLEVER_ID);
        String last = rows.get(rows.size() - 1).get(r.CLEVER_ID);
        Map<String, int[]> counts = new HashMap<>();
        Map<String, List<String>> schools = new HashMap<>();
        Map<String, String> dupEmails = Map.of();
        Map<String, String> dupSis = Map.of();
        Map<String, Record> sectionExtras = Map.of();
        switch (kind) {
            case USER -> {
                enrollmentCounts(districtId, CLEVER_ENROLLMENT.USER_ID, first, last, counts);
                ctx.selectDistinct(CLEVER_ENROLLMENT.USER_ID, CLEVER_ENROLLMENT.SCHOOL_ID).from(CLEVER_ENROLLMENT)
                        .where(CLEVER_ENROLLMENT.DISTRICT_ID.eq(districtId), CLEVER_ENROLLMENT.USER_ID.between(first, last),
                                CLEVER_ENROLLMENT.SCHOOL_ID.isNotNull())
                        .orderBy(CLEVER_ENROLLMENT.USER_ID, CLEVER_ENROLLMENT.SCHOOL_ID)
                        .forEach(e -> schools.computeIfAbsent(e.value1(), k -> new ArrayList<>()).add(e.value2()));
                dupEmails = duplicates(districtId, r.EMAIL_KEY, rows.map(x -> x.get(r.EMAIL_KEY)));
                dupSis = duplicates(districtId, r.SIS_ID, rows.map(x -> x.get(r.SIS_ID)));
            }
            case SECTION -> {
                enrollmentCounts(districtId, CLEVER_ENROLLMENT.SECTION_ID, first, last, counts);
                sectionExtras = sectionExtras(districtId, first, last);
            }
            case TERM -> sectionsPointingAt(districtId, r.REF_TERM, rows.map(x -> x.get(r.CLEVER_ID)), counts);
            case COURSE -> sectionsPointingAt(districtId, r.REF_COURSE, rows.map(x -> x.get(r.CLEVER_ID)), counts);
            default -> { }
        }
        List<FactRow> facts = new ArrayList<>(rows.size());
        for (var row : rows) {
            String id = row.get(r.CLEVER_ID);
            Change change = runId.equals(row.get(r.GONE_RUN)) ? Change.GONE
                    : runId.equals(row.get(r.FIRST_SEEN_RUN)) ? Change.CREATED
                    : runId.equals(row.get(r.CHANGED_RUN)) ? Change.UPDATED
                    : Change.UNCHANGED;
            String prev = row.get(RECORD_STATE.OUTCOME);
            int[] c = counts.getOrDefault(id, new int[2]);
            boolean flag1 = false;
            boolean flag2 = false;
            String text1 = null;
            String text2 = null;
            if (kind == RecordKind.USER) {
                String firstWithEmail = row.get(r.EMAIL_KEY) == null ? null : dupEmails.get(row.get(r.EMAIL_KEY));
                String firstWithSis = row.get(r.SIS_ID) == null ? null : dupSis.get(row.get(r.SIS_ID));
                flag1 = firstWithEmail != null;
                flag2 = firstWithSis != null;
                text1 = firstWithEmail == null || firstWithEmail.equals(id) ? null : firstWithEmail;
                text2 = firstWithSis == null || firstWithSis.equals(id) ? null : firstWithSis;
            } else if (kind == RecordKind.SECTION) {
                Record extra = sectionExtras.get(id);
                if (extra != null) {
                    flag1 = extra.get("term_shared", Boolean.class);
                    flag2 = Boolean.TRUE.equals(extra.get("name_edited", Boolean.class));
                    text1 = extra.get("course_name", String.class);
                    text2 = extra.get("teacher_last", String.class);
                }
            }
            facts.add(new FactRow(id, row.get(r.PAYLOAD), change, prev == null ? null : Outcome.valueOf(prev),
                    row.get(RECORD_STATE.DECISION_HASH), c[0], c[1], schools.getOrDefault(id, List.of()), flag1, flag2,
                    text1, text2));
        }
        return facts;
    }

    /** counts[id] = {students, teachers} over enrollments grouped by the given column, for ids in [first, last]. */
    private void enrollmentCounts(String districtId, Field<String> by, String first, String last, Map<String, int[]> counts) {
        ctx.select(by, CLEVER_ENROLLMENT.ROLE, DSL.count()).from(CLEVER_ENROLLMENT)
                .where(CLEVER_ENROLLMENT.DISTRICT_ID.eq(districtId), by.between(first, last))
                .groupBy(by, CLEVER_ENROLLMENT.ROLE)
                .forEach(e -> counts.computeIfAbsent(e.value1(), k -> new int[2])["student".equals(e.value2()) ? 0 : 1] = e.value3());
    }

    /** Values shared by more than one user, each with the user that keeps it: the lowest Clever id (a stable choice). */
    private Map<String, String> duplicates(String districtId, Field<String> column, List<String> values) {
        Map<String, String> dups = new HashMap<>();
        List<String> present = values.stream().filter(v -> v != null && !v.isBlank()).distinct().toList();
        for (List<String> chunk : chunks(present)) {
            ctx.select(column, DSL.min(CLEVER_RECORD.CLEVER_ID)).from(CLEVER_RECORD.join(idTable(chunk)).on(column.eq(ID)))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.USER.label()),
                            CLEVER_RECORD.GONE_RUN.isNull())
                    .groupBy(column).having(DSL.count().gt(1))
                    .forEach(x -> dups.put(x.value1(), x.value2()));
        }
        return dups;
    }

    private void sectionsPointingAt(String districtId, Field<String> ref, List<String> ids, Map<String, int[]> counts) {
        for (List<String> chunk : chunks(ids)) {
            ctx.select(ref, DSL.count()).from(CLEVER_RECORD.join(idTable(chunk)).on(ref.eq(ID)))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.SECTION.label()),
                            CLEVER_RECORD.GONE_RUN.isNull())
                    .groupBy(ref)
                    .forEach(x -> counts.computeIfAbsent(x.value1(), k -> new int[2])[0] = x.value2());
        }
    }

    private Map<String, Record> sectionExtras(String districtId, String first, String last) {
        var s = CLEVER_RECORD.as("s");
        var t = CLEVER_RECORD.as("t");
        var c = CLEVER_RECORD.as("c");
        var u = CLEVER_RECORD.as("u");
        Map<String, Record> extras = new HashMap<>();
        ctx.select(s.CLEVER_ID,
                        DSL.field(t.CLEVER_ID.isNotNull()).as("term_shared"),
                        c.LABEL.as("course_name"),
                        u.LABEL.as("teacher_last"),
                        CLASSROOM.DISPLAY_NAME_EDITED.as("name_edited"))
                .from(s)
                .leftJoin(t).on(t.DISTRICT_ID.eq(s.DISTRICT_ID), t.KIND.eq(RecordKind.TERM.label()), t.CLEVER_ID.eq(s.REF_TERM), t.GONE_RUN.isNull())
                .leftJoin(c).on(c.DISTRICT_ID.eq(s.DISTRICT_ID), c.KIND.eq(RecordKind.COURSE.label()), c.CLEVER_ID.eq(s.REF_COURSE), c.GONE_RUN.isNull())
                .leftJoin(u).on(u.DISTRICT_ID.eq(s.DISTRICT_ID), u.KIND.eq(RecordKind.USER.label()), u.CLEVER_ID.eq(s.REF_TEACHER), u.GONE_RUN.isNull())
                .leftJoin(CLASSROOM).on(CLASSROOM.DISTRICT_ID.eq(s.DISTRICT_ID), CLASSROOM.CLEVER_ID.eq(s.CLEVER_ID))
                .where(s.DISTRICT_ID.eq(districtId), s.KIND.eq(RecordKind.SECTION.label()), s.CLEVER_ID.between(first, last))
                .forEach(x -> extras.put(x.value1(), x));
        return extras;
    }

    // ---------------------------------------------------------------- decisions

    /** Replaces the stored decisions of these records, and appends to their history when the outcome changed. */
    public void saveDecisions(String districtId, String runId, List<DecisionState> states) {
        if (states.isEmpty()) {
            return;
        }
        RecordKind kind = states.get(0).kind();
        Map<String, String> previous = new HashMap<>();
        for (List<String> ids : chunks(states.stream().map(DecisionState::cleverId).toList())) {
            ctx.select(RECORD_STATE.CLEVER_ID, RECORD_STATE.OUTCOME).from(RECORD_STATE.join(idTable(ids)).on(RECORD_STATE.CLEVER_ID.eq(ID)))
                    .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()))
                    .forEach(x -> previous.put(x.value1(), x.value2()));
        }
        var forget = ctx.batch(ctx.deleteFrom(DECISION)
                .where(DECISION.DISTRICT_ID.eq((String) null), DECISION.KIND.eq((String) null), DECISION.CLEVER_ID.eq((String) null)));
        states.forEach(st -> forget.bind(districtId, kind.label(), st.cleverId()));
        forget.execute();
        Writes writes = new Writes();
        for (DecisionState st : states) {
            String prev = previous.get(st.cleverId());
            if (prev == null) {
                writes.insert(RECORD_STATE)
                        .set(RECORD_STATE.DISTRICT_ID, districtId)
                        .set(RECORD_STATE.KIND, kind.label())
                        .set(RECORD_STATE.CLEVER_ID, st.cleverId())
                        .set(RECORD_STATE.OUTCOME, st.outcome().name())
                        .set(RECORD_STATE.EFFECTIVE_ROLE, st.effectiveRole())
                        .set(RECORD_STATE.DECISION_HASH, st.decisionHash())
                        .set(RECORD_STATE.RUN_ID, runId);
            } else {
                writes.add(ctx.update(RECORD_STATE)
                        .set(RECORD_STATE.OUTCOME, st.outcome().name())
                        .set(RECORD_STATE.EFFECTIVE_ROLE, st.effectiveRole())
                        .set(RECORD_STATE.DECISION_HASH, st.decisionHash())
                        .set(RECORD_STATE.RUN_ID, runId)
                        .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()),
                                RECORD_STATE.CLEVER_ID.eq(st.cleverId())));
            }
            int seq = 0;
            for (DecisionDetail d : st.details()) {
                writes.insert(DECISION)
                        .set(DECISION.DISTRICT_ID, districtId)
                        .set(DECISION.KIND, kind.label())
                        .set(DECISION.CLEVER_ID, st.cleverId())
                        .set(DECISION.SEQ, seq++)
                        .set(DECISION.RULE_ID, d.ruleId())
                        .set(DECISION.OUTCOME, d.outcome())
                        .set(DECISION.DETAIL_TYPE, d.type())
                        .set(DECISION.FIELD, d.field())
                        .set(DECISION.VALUE, StoredText.storable(d.value()))
                        .set(DECISION.REASON, StoredText.storable(d.reason()))
                        .set(DECISION.RUN_ID, runId);
            }
            if (!st.outcome().name().equals(prev)) {
                DecisionDetail why = st.details().stream().filter(d -> "OUTCOME".equals(d.type())).findFirst().orElse(null);
                writes.insert(OUTCOME_HISTORY)
                        .set(OUTCOME_HISTORY.DISTRICT_ID, districtId)
                        .set(OUTCOME_HISTORY.KIND, kind.label())
                        .set(OUTCOME_HISTORY.CLEVER_ID, st.cleverId())
                        .set(OUTCOME_HISTORY.RUN_ID, runId)
                        .set(OUTCOME_HISTORY.OUTCOME, st.outcome().name())
                        .set(OUTCOME_HISTORY.RULE_ID, why == null ? null : why.ruleId())
                        .set(OUTCOME_HISTORY.REASON, why == null ? null : StoredText.storable(why.reason()));
            }
        }
        writes.execute();
    }

    public void addWarnings(String districtId, List<WarningRow> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        String runId = warnings.get(0).runId();
        int seq = warningSeq.computeIfAbsent(runId, id -> ctx.select(DSL.coalesce(DSL.max(DATA_WARNING.SEQ), 0)).from(DATA_WARNING)
                .where(DATA_WARNING.DISTRICT_ID.eq(districtId), DATA_WARNING.RUN_ID.eq(id)).fetchOne(0, Integer.class));
        var batch = ctx.batch(ctx.insertInto(DATA_WARNING, DATA_WARNING.DISTRICT_ID, DATA_WARNING.RUN_ID, DATA_WARNING.SEQ,
                DATA_WARNING.KIND, DATA_WARNING.CLEVER_ID, DATA_WARNING.CODE, DATA_WARNING.FIELD, DATA_WARNING.MESSAGE,
                DATA_WARNING.RULE_ID).values((String) null, null, null, null, null, null, null, null, null));
        for (WarningRow w : warnings) {
            batch.bind(districtId, w.runId(), ++seq, w.kind().label(), w.cleverId(), w.code(), w.field(),
                    StoredText.storable(w.message()), w.ruleId());
        }
        batch.execute();
        warningSeq.put(runId, seq);
    }

    public Optional<DecisionState> decisionState(String districtId, RecordKind kind, String cleverId) {
        var state = ctx.selectFrom(RECORD_STATE)
                .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()), RECORD_STATE.CLEVER_ID.eq(cleverId))
                .fetchOptional();
        if (state.isEmpty()) {
            return Optional.empty();
        }
        List<DecisionDetail> details = ctx.selectFrom(DECISION)
                .where(DECISION.DISTRICT_ID.eq(districtId), DECISION.KIND.eq(kind.label()), DECISION.CLEVER_ID.eq(cleverId))
                .orderBy(DECISION.SEQ)
                .fetch(d -> new DecisionDetail(d.getDetailType(), d.getRuleId(), d.getOutcome(), d.getField(), d.getValue(), d.getReason()));
        var s = state.get();
        return Optional.of(new DecisionState(kind, cleverId, Outcome.valueOf(s.getOutcome()), s.getEffectiveRole(),
                s.getDecisionHash(), details));
    }

    public List<HistoryRow> history(String districtId, RecordKind kind, String cleverId) {
        return ctx.select(OUTCOME_HISTORY.RUN_ID, SYNC_RUN.STARTED_AT, OUTCOME_HISTORY.OUTCOME, OUTCOME_HISTORY.RULE_ID, OUTCOME_HISTORY.REASON)
                .from(OUTCOME_HISTORY)
                .leftJoin(SYNC_RUN).on(SYNC_RUN.RUN_ID.eq(OUTCOME_HISTORY.RUN_ID))
                .where(OUTCOME_HISTORY.DISTRICT_ID.eq(districtId), OUTCOME_HISTORY.KIND.eq(kind.label()),
                        OUTCOME_HISTORY.CLEVER_ID.eq(cleverId))
                .orderBy(SYNC_RUN.STARTED_AT, OUTCOME_HISTORY.RUN_ID)
                .fetch(x -> new HistoryRow(x.value1(), x.value2(), x.value3(), x.value4(), x.value5()));
    }

    /** Warnings of one run, or of one record across runs when {@code cleverId} is given (runId may then be null). */
    public List<WarningRow> warnings(String districtId, String runId, String cleverId, int limit) {
        Condition where = DATA_WARNING.DISTRICT_ID.eq(districtId);
        if (runId != null) {
            where = where.and(DATA_WARNING.RUN_ID.eq(runId));
        }
        if (cleverId != null) {
            where = where.and(DATA_WARNING.CLEVER_ID.eq(cleverId));
        }
        return ctx.selectFrom(DATA_WARNING).where(where).orderBy(DATA_WARNING.RUN_ID, DATA_WARNING.SEQ).limit(limit)
                .fetch(w -> new WarningRow(w.getRunId(), kindOf(w.getKind()), w.getCleverId(), w.getCode(), w.getField(),
                        w.getMessage(), w.getRuleId()));
    }

    // ---------------------------------------------------------------- provisioned rows

    /**
     * Brings provisioned rows of one kind in line with what was decided: every row in {@code desired} exists, is active and
     * has these values; every active row of a clever id in {@code off} is deactivated (never deleted). For accounts,
     * other roles of a clever id in {@code desired} are deactivated too. Values a person edited (a class's display name)
     * are kept. Each change is written to the outbox. Returns the change per {@link Provisioned#key()}; deactivations
     * are keyed by clever id (and role for accounts).
     */
    public Map<String, ProvisionedChange> reconcile(String districtId, String runId, RecordKind kind, List<Provisioned> desired,
                                                    Collection<String> off) {
        return reconcile(districtId, runId, kind, desired, off, EditPolicy.KEEP);
    }

    /** {@link #reconcile} with the edit policy of {@code sync.strategy} (P21); conflicts go to {@link #drainEditConflicts}. */
    public Map<String, ProvisionedChange> reconcile(String districtId, String runId, RecordKind kind, List<Provisioned> desired,
                                                    Collection<String> off, EditPolicy edits) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        Map<String, ProvisionedChange> changes = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(desired.size() + off.size());
        desired.forEach(p -> ids.add(p.cleverId()));
        ids.addAll(off);
        Map<String, Record> existing = new HashMap<>();
        for (List<String> chunk : chunks(ids.stream().distinct().toList())) {
            ctx.select(pt.table().fields()).from(pt.table().join(idTable(chunk)).on(pt.cleverId().eq(ID)))
                    .where(pt.district().eq(districtId))
                    .forEach(rec -> existing.put(pt.key(rec), rec));
        }
        Writes writes = new Writes();
        Set<String> desiredKeys = new java.util.HashSet<>();
        Set<String> desiredIds = new java.util.HashSet<>();
        for (Provisioned p : desired) {
            desiredKeys.add(p.key());
            desiredIds.add(p.cleverId());
            Record old = existing.get(p.key());
            Map<Field<?>, Object> values = pt.values(p, old, edits, editConflicts);
            String hash = ContentHash.of(values);
            ProvisionedChange change;
            if (old == null) {
                Map<Field<?>, Object> insert = new LinkedHashMap<>(values);
                insert.put(pt.district(), districtId);
                insert.put(pt.cleverId(), p.cleverId());
                if (pt.role() != null) {
                    insert.put(pt.role(), p.accountRole());
                }
                insert.put(pt.active(), true);
                insert.put(pt.hash(), hash);
                insert.put(pt.createdRun(), runId);
                insert.put(pt.updatedRun(), runId);
                writes.insert(pt.table(), insert);
                change = ProvisionedChange.CREATED;
            } else {
                boolean wasActive = Boolean.TRUE.equals(old.get(pt.active()));
                if (wasActive && hash.equals(old.get(pt.hash()))) {
                    change = ProvisionedChange.UNCHANGED;
                } else {
                    Map<Field<?>, Object> update = new LinkedHashMap<>(values);
                    update.put(pt.active(), true);
                    update.put(pt.hash(), hash);
                    update.put(pt.updatedRun(), runId);
                    writes.add(ctx.update(pt.table()).set(update).where(pt.keyCondition(districtId, p.cleverId(), p.accountRole())));
                    change = wasActive ? ProvisionedChange.UPDATED : ProvisionedChange.REACTIVATED;
                }
            }
            changes.put(p.key(), change);
        }
        Set<String> offSet = new java.util.HashSet<>(off);
        for (var e : existing.entrySet()) {
            Record old = e.getValue();
            String id = old.get(pt.cleverId());
            boolean shouldGo = offSet.contains(id) || (desiredIds.contains(id) && !desiredKeys.contains(e.getKey()));
            if (shouldGo && Boolean.TRUE.equals(old.get(pt.active()))) {
                writes.add(ctx.update(pt.table()).set(pt.active(), false).set(pt.updatedRun(), runId)
                        .where(pt.keyCondition(districtId, id, pt.role() == null ? null : old.get(pt.role()))));
                changes.put(e.getKey(), ProvisionedChange.DEACTIVATED);
            }
        }
        for (var e : changes.entrySet()) {
            if (e.getValue() != ProvisionedChange.UNCHANGED) {
                outbox(writes, districtId, runId, kind, e.getKey(), e.getValue());
            }
        }
        writes.execute();
        return changes;
    }

    private void outbox(Writes writes, String districtId, String runId, RecordKind kind, String key, ProvisionedChange change) {
        int seq = outboxSeq.merge(runId, 1, Integer::sum);
        if (seq == 1) {
            Integer max = ctx.select(DSL.max(OUTBOX.SEQ)).from(OUTBOX).where(OUTBOX.DISTRICT_ID.eq(districtId), OUTBOX.RUN_ID.eq(runId))
                    .fetchOne(0, Integer.class);
            if (max != null) {
                seq = max + 1;
                outboxSeq.put(runId, seq);
            }
        }
        writes.insert(OUTBOX)
                .set(OUTBOX.DISTRICT_ID, districtId)
                .set(OUTBOX.RUN_ID, runId)
                .set(OUTBOX.SEQ, seq)
                .set(OUTBOX.ENTITY, kind.label())
                .set(OUTBOX.CLEVER_ID, key)
                .set(OUTBOX.CHANGE, change.name())
                .set(OUTBOX.CREATED_AT, LocalDateTime.now(java.time.ZoneOffset.UTC));
    }

    /** Conflicts between edits and Clever found by reconcile since the last call (TWO_WAY). */
    public List<EditConflict> drainEditConflicts() {
        List<EditConflict> out = List.copyOf(editConflicts);
        editConflicts.clear();
        return out;
    }

    /** The provisioned rows of one Clever id (one per role for accounts), as the host sees them. */
    public List<Provisioned> provisioned(String districtId, RecordKind kind, String cleverId) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        return ctx.selectFrom(pt.table()).where(pt.district().eq(districtId), pt.cleverId().eq(cleverId))
                .fetch(rec -> pt.toProvisioned(kind, rec));
    }

    /** How many provisioned rows of a kind are active in a district. */
    public int activeCount(String districtId, RecordKind kind) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        return ctx.fetchCount(pt.table(), pt.district().eq(districtId), pt.active().isTrue());
    }

    /** Selects (or, with {@code selected} false, unselects) sections to load under P22 STAGING. Returns the rows changed. */
    public int selectSection(String districtId, String sectionId, boolean selected) {
        var sel = SECTION_SELECTION;
        if (!selected) {
            return ctx.deleteFrom(sel).where(sel.DISTRICT_ID.eq(districtId), sel.SECTION_ID.eq(sectionId)).execute();
        }
        if (ctx.fetchExists(sel, sel.DISTRICT_ID.eq(districtId), sel.SECTION_ID.eq(sectionId))) {
            return 1;
        }
        return ctx.insertInto(sel).set(sel.DISTRICT_ID, districtId).set(sel.SECTION_ID, sectionId)
                .set(sel.SELECTED_AT, LocalDateTime.now(java.time.ZoneOffset.UTC)).execute();
    }

    /** Which of these sections an admin selected (P22 STAGING). */
    public Set<String> selectedSections(String districtId, List<String> sectionIds) {
        Set<String> selected = new java.util.HashSet<>();
        for (List<String> chunk : chunks(sectionIds)) {
            ctx.select(SECTION_SELECTION.SECTION_ID).from(SECTION_SELECTION.join(idTable(chunk)).on(SECTION_SELECTION.SECTION_ID.eq(ID)))
                    .where(SECTION_SELECTION.DISTRICT_ID.eq(districtId))
                    .forEach(x -> selected.add(x.value1()));
        }
        return selected;
    }

    /** Sets a class's display name as a person edited it; syncs keep it from now on. Returns the rows changed. */
    public int editClassDisplayName(String districtId, String cleverId, String displayName) {
        return ctx.update(CLASSROOM).set(CLASSROOM.DISPLAY_NAME, displayName).set(CLASSROOM.DISPLAY_NAME_EDITED, true)
                .where(CLASSROOM.DISTRICT_ID.eq(districtId), CLASSROOM.CLEVER_ID.eq(cleverId)).execute();
    }

    /** Sets a student's graduation year as an admin edited it (P6); syncs keep it from now on. Returns the rows changed. */
    public int editGraduationYear(String districtId, String cleverId, String year) {
        return ctx.update(ACCOUNT).set(ACCOUNT.GRADUATION_YEAR, year).set(ACCOUNT.GRADUATION_YEAR_EDITED, true)
                .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(cleverId)).execute();
    }

    /**
     * Brings class memberships in line with enrollments: a user is a member of a class when Clever enrolls them in its
     * section and both the class and one of the user's accounts are active. Memberships are deactivated, never deleted.
     * Returns {created, reactivated, deactivated}.
     */
    public int[] syncMemberships(String districtId, String runId) {
        var e = CLEVER_ENROLLMENT;
        var m = CLASSROOM_MEMBERSHIP;
        Condition enrolledAndActive = DSL.exists(DSL.selectOne().from(CLASSROOM).where(CLASSROOM.DISTRICT_ID.eq(e.DISTRICT_ID),
                        CLASSROOM.CLEVER_ID.eq(e.SECTION_ID), CLASSROOM.ACTIVE.isTrue()))
                .and(DSL.exists(DSL.selectOne().from(ACCOUNT).where(ACCOUNT.DISTRICT_ID.eq(e.DISTRICT_ID),
                        ACCOUNT.CLEVER_ID.eq(e.USER_ID), ACCOUNT.ACTIVE.isTrue(),
                        // P14 PRIMARY_ONLY: a flagged user is a member only of sections at their primary school
                        DSL.coalesce(ACCOUNT.FLAGS, "").notLike("%" + PRIMARY_SCHOOL_ONLY + "%")
                                .or(ACCOUNT.PRIMARY_SCHOOL_ID.eq(e.SCHOOL_ID)))));
        var enrolled = DSL.select(e.DISTRICT_ID, e.SECTION_ID, e.USER_ID, e.ROLE, DSL.inline(true), DSL.val(runId)).from(e);
        int created;
        if (vendor == Vendor.POSTGRESQL) {
            // not "NOT EXISTS (… the table being filled …)": on a first run PostgreSQL plans that as a nested loop over a
            // heap that grows with every inserted row (6.7 s for 41,608 memberships); the primary key skips existing ones
            created = ctx.insertInto(m, m.DISTRICT_ID, m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE, m.UPDATED_RUN)
                    .select(enrolled.where(e.DISTRICT_ID.eq(districtId), enrolledAndActive))
                    .onConflictDoNothing()
                    .execute();
        } else {
            created = ctx.insertInto(m, m.DISTRICT_ID, m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE, m.UPDATED_RUN)
                    .select(enrolled.where(e.DISTRICT_ID.eq(districtId), enrolledAndActive,
                            DSL.notExists(DSL.selectOne().from(m).where(m.DISTRICT_ID.eq(e.DISTRICT_ID),
                                    m.CLASS_ID.eq(e.SECTION_ID), m.USER_ID.eq(e.USER_ID), m.ROLE.eq(e.ROLE)))))
                    .execute();
        }
        analyze(m); // the first run just inserted every membership: plan the updates below on real row counts
        Condition stillEnrolled = DSL.exists(DSL.selectOne().from(e).where(e.DISTRICT_ID.eq(m.DISTRICT_ID),
                e.SECTION_ID.eq(m.CLASS_ID), e.USER_ID.eq(m.USER_ID), e.ROLE.eq(m.ROLE), enrolledAndActive));
        int reactivated = ctx.update(m).set(m.ACTIVE, true).set(m.UPDATED_RUN, runId)
                .where(m.DISTRICT_ID.eq(districtId), m.ACTIVE.isFalse(), stillEnrolled).execute();
        int deactivated = ctx.update(m).set(m.ACTIVE, false).set(m.UPDATED_RUN, runId)
                .where(m.DISTRICT_ID.eq(districtId), m.ACTIVE.isTrue(), DSL.not(stillEnrolled)).execute();
        return new int[] {created, reactivated, deactivated};
    }

    /** The account flag (set by the P14 rules) that limits memberships to the primary school's sections. */
    public static final String PRIMARY_SCHOOL_ONLY = "PRIMARY_SCHOOL_ONLY";
    /** The account flag (set by the P13 rules) asking for a default class. */
    public static final String PRIMARY_CLASS = "PRIMARY_CLASS";

    /**
     * What single records cannot say, derived once memberships are in place: each class's most common student grade
     * (P12, offered beside the SIS grade), and the default class of students flagged PRIMARY_CLASS (P13: their first
     * shared section by Clever id). Only rows whose derived value changes are written.
     */
    public void deriveFromMemberships(String districtId) {
        var m = CLASSROOM_MEMBERSHIP;
        Map<String, Map<String, Integer>> grades = new HashMap<>();
        ctx.select(m.CLASS_ID, ACCOUNT.GRADE, DSL.count()).from(m)
                .join(ACCOUNT).on(ACCOUNT.DISTRICT_ID.eq(m.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(m.USER_ID), ACCOUNT.ACTIVE.isTrue())
                .where(m.DISTRICT_ID.eq(districtId), m.ROLE.eq("student"), m.ACTIVE.isTrue(), ACCOUNT.GRADE.isNotNull())
                .groupBy(m.CLASS_ID, ACCOUNT.GRADE)
                .forEach(x -> grades.computeIfAbsent(x.value1(), k -> new java.util.TreeMap<>()).put(x.value2(), x.value3()));
        Map<String, String> current = new HashMap<>();
        ctx.select(CLASSROOM.CLEVER_ID, CLASSROOM.DERIVED_GRADE).from(CLASSROOM).where(CLASSROOM.DISTRICT_ID.eq(districtId))
                .forEach(x -> current.put(x.value1(), x.value2()));
        List<Query> writes = new ArrayList<>();
        for (var e : current.entrySet()) {
            Map<String, Integer> byGrade = grades.getOrDefault(e.getKey(), Map.of());
            // ties go to the first grade in text order, so the same members always derive the same grade
            String mode = byGrade.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(null);
            if (!java.util.Objects.equals(mode, e.getValue())) {
                writes.add(ctx.update(CLASSROOM).set(CLASSROOM.DERIVED_GRADE, mode)
                        .where(CLASSROOM.DISTRICT_ID.eq(districtId), CLASSROOM.CLEVER_ID.eq(e.getKey())));
            }
        }
        // only flagged students are read: a district of a million students does not load a million rows here
        Condition flagged = DSL.coalesce(ACCOUNT.FLAGS, "").like("%" + PRIMARY_CLASS + "%");
        Map<String, String> primary = new HashMap<>();
        ctx.select(m.USER_ID, DSL.min(m.CLASS_ID)).from(m)
                .join(ACCOUNT).on(ACCOUNT.DISTRICT_ID.eq(m.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(m.USER_ID))
                .where(m.DISTRICT_ID.eq(districtId), m.ROLE.eq("student"), m.ACTIVE.isTrue(), flagged)
                .groupBy(m.USER_ID)
                .forEach(x -> primary.put(x.value1(), x.value2()));
        ctx.select(ACCOUNT.CLEVER_ID, ACCOUNT.ACCOUNT_ROLE, ACCOUNT.FLAGS, ACCOUNT.PRIMARY_CLASS_ID).from(ACCOUNT)
                .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.PRIMARY_CLASS_ID.isNotNull().or(flagged))
                .forEach(x -> {
                    boolean wanted = x.value3() != null && x.value3().contains(PRIMARY_CLASS);
                    String value = wanted ? primary.get(x.value1()) : null;
                    if (!java.util.Objects.equals(value, x.value4())) {
                        writes.add(ctx.update(ACCOUNT).set(ACCOUNT.PRIMARY_CLASS_ID, value)
                                .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(x.value1()), ACCOUNT.ACCOUNT_ROLE.eq(x.value2())));
                    }
                });
        if (!writes.isEmpty()) {
            ctx.batch(writes).execute();
        }
    }

    /** Active class ids a user is a member of. */
    public List<String> memberships(String districtId, String userId) {
        return ctx.select(CLASSROOM_MEMBERSHIP.CLASS_ID).from(CLASSROOM_MEMBERSHIP)
                .where(CLASSROOM_MEMBERSHIP.DISTRICT_ID.eq(districtId), CLASSROOM_MEMBERSHIP.USER_ID.eq(userId),
                        CLASSROOM_MEMBERSHIP.ACTIVE.isTrue())
                .orderBy(CLASSROOM_MEMBERSHIP.CLASS_ID)
                .fetch(CLASSROOM_MEMBERSHIP.CLASS_ID);
    }

    /** Changes no host has acknowledged yet, oldest first (by run start, then the order the run made them). */
    public List<OutboxRow> pendingOutbox(int limit) {
        return ctx.select(OUTBOX.DISTRICT_ID, OUTBOX.RUN_ID, OUTBOX.SEQ, OUTBOX.ENTITY, OUTBOX.CLEVER_ID, OUTBOX.CHANGE, OUTBOX.CREATED_AT)
                .from(OUTBOX)
                .join(SYNC_RUN).on(SYNC_RUN.RUN_ID.eq(OUTBOX.RUN_ID))
                .where(OUTBOX.CONSUMED_AT.isNull())
                .orderBy(SYNC_RUN.STARTED_AT, OUTBOX.RUN_ID, OUTBOX.SEQ)
                .limit(limit)
                .fetch(x -> new OutboxRow(x.value1(), x.value2(), x.value3(), x.value4(), x.value5(), x.value6(), x.value7()));
    }

    /** Marks changes as consumed; returns how many were pending. */
    public int acknowledgeOutbox(List<OutboxRow> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        var ack = ctx.batch(ctx.update(OUTBOX).set(OUTBOX.CONSUMED_AT, (LocalDateTime) null)
                .where(OUTBOX.DISTRICT_ID.eq((String) null), OUTBOX.RUN_ID.eq((String) null), OUTBOX.SEQ.eq((Integer) null),
                        OUTBOX.CONSUMED_AT.isNull()));
        LocalDateTime now = LocalDateTime.now(java.time.ZoneOffset.UTC);
        rows.forEach(r -> ack.bind(now, r.districtId(), r.runId(), r.seq()));
        int n = 0;
        for (int c : ack.execute()) {
            n += Math.max(c, 0);
        }
        return n;
    }

    public int outboxCount(String districtId, String runId) {
        return ctx.fetchCount(OUTBOX, OUTBOX.DISTRICT_ID.eq(districtId), OUTBOX.RUN_ID.eq(runId));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The writes of one step. Inserts are grouped by table and columns and sent as prepared batches (one statement
     * text per group; PostgreSQL's {@code reWriteBatchedInserts} then sends multi-row inserts); every other statement
     * follows as it was added. A first run is mostly inserts, so this is where its time goes.
     */
    private final class Writes {
        private final List<InsertRow> inserts = new ArrayList<>();
        private final List<Query> others = new ArrayList<>();

        InsertRow insert(Table<?> table) {
            InsertRow row = new InsertRow(table, new LinkedHashMap<>());
            inserts.add(row);
            return row;
        }

        void insert(Table<?> table, Map<Field<?>, Object> values) {
            inserts.add(new InsertRow(table, new LinkedHashMap<>(values)));
        }

        void add(Query query) {
            others.add(query);
        }

        void execute() {
            Map<Table<?>, Map<List<Field<?>>, List<InsertRow>>> groups = new LinkedHashMap<>();
            for (InsertRow row : inserts) {
                groups.computeIfAbsent(row.table(), t -> new LinkedHashMap<>())
                        .computeIfAbsent(List.copyOf(row.values().keySet()), k -> new ArrayList<>()).add(row);
            }
            for (var byTable : groups.entrySet()) {
                for (var byColumns : byTable.getValue().entrySet()) {
                    List<Field<?>> columns = byColumns.getKey();
                    var template = ctx.insertInto(byTable.getKey(), columns)
                            .values(java.util.Collections.nCopies(columns.size(), (Object) null));
                    var batch = ctx.batch(template);
                    for (InsertRow row : byColumns.getValue()) {
                        batch.bind(columns.stream().map(row.values()::get).toArray());
                    }
                    batch.execute();
                }
            }
            if (!others.isEmpty()) {
                ctx.batch(others).execute();
            }
            inserts.clear();
            others.clear();
        }
    }

    private record InsertRow(Table<?> table, Map<Field<?>, Object> values) {
        <T> InsertRow set(Field<T> field, T value) {
            values.put(field, value);
            return this;
        }
    }

    private static Condition recordKey(String districtId, RecordKind kind, String cleverId) {
        return CLEVER_RECORD.DISTRICT_ID.eq(districtId).and(CLEVER_RECORD.KIND.eq(kind.label())).and(CLEVER_RECORD.CLEVER_ID.eq(cleverId));
    }

    static RecordKind kindOf(String label) {
        for (RecordKind k : RecordKind.values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new IllegalStateException("unknown record kind in store: " + label);
    }

    /** The join column of {@link #idTable}. */
    private static final Field<String> ID = DSL.field(DSL.name("ids", "id"), String.class);

    /**
     * Ids as a one-column table to join on. H2 uses the primary key for a join, but for {@code clever_id IN (…)} after
     * equalities on district and kind it reads every row of that district and kind (EXPLAIN: 20,001 rows read to find 3),
     * which made a district's run quadratic. Updates and deletes by id are batched single-row statements for the same reason.
     */
    private static Table<?> idTable(Collection<String> ids) {
        @SuppressWarnings("unchecked")
        Row1<String>[] rows = ids.stream().map(DSL::row).toArray(Row1[]::new);
        return DSL.values(rows).as("ids", "id");
    }

    static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }
}
