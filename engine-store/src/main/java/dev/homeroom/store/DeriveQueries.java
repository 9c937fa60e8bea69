package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_ENROLLMENT;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
import static dev.homeroom.store.internal.jooq.Tables.RECORD_STATE;

import dev.homeroom.spi.Change;
import dev.homeroom.store.internal.jooq.tables.CleverRecord;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.PackedText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The derive step: what single records cannot say, computed in SQL over the shadow (enrollment counts, schools,
 * duplicates, references to records Clever does not share, the previous outcome). Records are read in batches of
 * consecutive Clever ids, each batch a bounded range of the primary key, so the cost of a batch does not depend on the
 * size of the district. Listed ids are always looked up first ({@link Sql#lookUpIds}): inner-joined, H2 chooses the
 * order by the tables' sizes (an incremental run's derive step at 1,000,000 students took 949 s while some were inner
 * joins). Tables read: {@code clever_record}, {@code clever_enrollment}, {@code record_state}, {@code classroom}.
 */
@API(status = API.Status.INTERNAL)
public final class DeriveQueries {
    /** How many ids {@link #factsOf} takes at a time. */
    public static final int MAX_IDS = Sql.CHUNK;

    private final DSLContext ctx;
    /** Duplicate emails and SIS ids of the district's users, each with the user that keeps it; reset when the shadow changes. */
    private Map<String, Map<String, Sharing>> duplicates = new HashMap<>();

    /** Users sharing one value: the one that keeps it (the lowest Clever id) and the highest. */
    private record Sharing(String keeper, String last) {
        /** Another user sharing it than {@code id}. */
        String otherThan(String id) {
            return keeper.equals(id) ? last : keeper;
        }
    }

    DeriveQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** The shadow changed: what was derived from all of it must be derived again. */
    void shadowChanged() {
        duplicates = new HashMap<>();
    }

    /**
     * Shared records that point at records Clever does not share: a section's course and school, and the users a section
     * enrolls (students, and teachers: its primary {@code teacher} once, as field {@code teacher}, the others as
     * {@code teachers}). Courses are checked only when the district shares courses at all (P18: a district without
     * courses has stand-alone sections, not broken ones). A user's schools are checked as the user is decided
     * ({@link #sharedIds}), since the shadow keeps only the primary one in a column.
     */
    public List<DanglingReference> danglingReferences(String districtId) {
        List<DanglingReference> found = new ArrayList<>();
        references(districtId, sharesCourses(districtId), null, found);
        enrollments(districtId, null, null, found);
        return found;
    }

    /**
     * {@link #danglingReferences(String)} for the references of these sections and the enrollments of these users only:
     * an incremental run checks the sections its events changed and the users they took away, not the whole district
     * again (a reference that was dangling before the run was reported by the run that stored it). The same rows as
     * the whole district's check, less those neither list leads to.
     */
    public List<DanglingReference> danglingReferences(String districtId, Collection<String> sections, Collection<String> users) {
        return danglingReferences(districtId, sections, sections, users);
    }

    /**
     * {@link #danglingReferences(String, Collection, Collection)} for a run that knows which enrollment rows it wrote:
     * the school and course references of {@code sections} (the sections it changed), and the enrollments of
     * {@code users} (the users its new enrollment rows name, and the users it took away). Only a new enrollment row or
     * a user gone can make an enrollment point at a user Clever does not share, so a section's other members are not
     * looked at (at 100k, 4,000 users instead of the district's 208,000 enrollment rows).
     */
    public List<DanglingReference> danglingReferencesOf(String districtId, Collection<String> sections, Collection<String> users) {
        return danglingReferences(districtId, sections, List.of(), users);
    }

    /** The school and course references of {@code sections}, and the enrollments of {@code enrolling} and of {@code users}. */
    private List<DanglingReference> danglingReferences(String districtId, Collection<String> sections, Collection<String> enrolling,
                                                       Collection<String> users) {
        Set<DanglingReference> found = new LinkedHashSet<>();
        boolean sharesCourses = sharesCourses(districtId);
        for (List<String> chunk : Sql.chunks(List.copyOf(sections))) {
            references(districtId, sharesCourses, chunk, found);
        }
        for (List<String> chunk : Sql.chunks(List.copyOf(enrolling))) {
            enrollments(districtId, chunk, null, found);
        }
        for (List<String> chunk : Sql.chunks(List.copyOf(users))) {
            enrollments(districtId, null, chunk, found);
        }
        return sorted(found);
    }

    private static List<DanglingReference> sorted(Set<DanglingReference> found) {
        List<DanglingReference> sorted = new ArrayList<>(found);
        sorted.sort(java.util.Comparator.comparing(DanglingReference::cleverId).thenComparing(DanglingReference::field)
                .thenComparing(DanglingReference::target));
        return sorted;
    }

    /** Whether the district shares any course (P18: without courses, sections stand alone). */
    private boolean sharesCourses(String districtId) {
        return ctx.fetchExists(CLEVER_RECORD, CLEVER_RECORD.DISTRICT_ID.eq(districtId),
                CLEVER_RECORD.KIND.eq(RecordKind.COURSE.label()), CLEVER_RECORD.GONE_RUN.isNull());
    }

    /** The school and course references of these sections (null: all the district's) that point nowhere. */
    private void references(String districtId, boolean sharesCourses, List<String> sections, Collection<DanglingReference> found) {
        dangling(districtId, sections, RecordKind.SECTION, CLEVER_RECORD.REF_SCHOOL, "school", RecordKind.SCHOOL, found);
        if (sharesCourses) {
            dangling(districtId, sections, RecordKind.SECTION, CLEVER_RECORD.REF_COURSE, "course", RecordKind.COURSE, found);
        }
    }

    /** Enrollments of these sections, or of these users (both null: all the district's), of users Clever does not share. */
    private void enrollments(String districtId, List<String> sections, List<String> users, Collection<DanglingReference> found) {
        var e = CLEVER_ENROLLMENT;
        var u = CLEVER_RECORD.as("u");
        var s = CLEVER_RECORD.as("s");
        Table<?> enrollments = sections != null ? Sql.lookUpIds(e, e.SECTION_ID, sections, e.DISTRICT_ID.eq(districtId))
                : users != null ? Sql.lookUpIds(e, e.USER_ID, users, e.DISTRICT_ID.eq(districtId))
                : e;
        ctx.select(e.SECTION_ID, e.ROLE, e.USER_ID, s.REF_TEACHER).from(enrollments)
                .leftJoin(u).on(u.DISTRICT_ID.eq(e.DISTRICT_ID), u.KIND.eq(RecordKind.USER.label()), u.CLEVER_ID.eq(e.USER_ID), u.GONE_RUN.isNull())
                .leftJoin(s).on(s.DISTRICT_ID.eq(e.DISTRICT_ID), s.KIND.eq(RecordKind.SECTION.label()), s.CLEVER_ID.eq(e.SECTION_ID))
                .where(e.DISTRICT_ID.eq(districtId), u.CLEVER_ID.isNull())
                .orderBy(e.SECTION_ID, e.USER_ID)
                .forEach(x -> found.add(new DanglingReference(RecordKind.SECTION, x.value1(),
                        "student".equals(x.value2()) ? "students" : x.value3().equals(x.value4()) ? "teacher" : "teachers",
                        RecordKind.USER, x.value3())));
    }

    private void dangling(String districtId, List<String> ids, RecordKind kind, Field<String> ref, String field, RecordKind targetKind,
                          Collection<DanglingReference> found) {
        var r = CLEVER_RECORD.as("r");
        var t = CLEVER_RECORD.as("t");
        Field<String> refOfR = r.field(ref);
        Table<?> from = ids == null ? r : Sql.lookUpIds(r, r.CLEVER_ID, ids, r.DISTRICT_ID.eq(districtId), r.KIND.eq(kind.label()));
        // A record without the reference points nowhere it could miss: skipped here, not in the WHERE. There
        // PostgreSQL took "ref is not null" for rare (it is, among all records; it is not among sections), read every
        // section of the district through the reference's index and hashed it against the ids: 71 ms for 1,000
        // sections of a 1M district, 2.9 s of a 47,004-event run; by the ids' primary key, 21 ms.
        ctx.select(r.CLEVER_ID, refOfR).from(from)
                .leftJoin(t).on(t.DISTRICT_ID.eq(r.DISTRICT_ID), t.KIND.eq(targetKind.label()), t.CLEVER_ID.eq(refOfR), t.GONE_RUN.isNull())
                .where(r.DISTRICT_ID.eq(districtId), r.KIND.eq(kind.label()), r.GONE_RUN.isNull(), t.CLEVER_ID.isNull())
                .orderBy(r.CLEVER_ID)
                .forEach(x -> {
                    if (x.value2() != null) {
                        found.add(new DanglingReference(kind, x.value1(), field, targetKind, x.value2()));
                    }
                });
    }

    /** The Clever ids of a kind that the district shares now (for schools: a few hundred at most). */
    public Set<String> sharedIds(String districtId, RecordKind kind) {
        return new HashSet<>(ctx.select(CLEVER_RECORD.CLEVER_ID).from(CLEVER_RECORD)
                .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()), CLEVER_RECORD.GONE_RUN.isNull())
                .fetch(CLEVER_RECORD.CLEVER_ID));
    }

    /** Shared users that carry any of these emails (lower-cased) or SIS ids. */
    public Set<String> usersWithKeys(String districtId, Collection<String> emailKeys, Collection<String> sisIds) {
        Set<String> users = new HashSet<>();
        for (Field<String> column : List.of(CLEVER_RECORD.EMAIL_KEY, CLEVER_RECORD.SIS_ID)) {
            Collection<String> values = column == CLEVER_RECORD.EMAIL_KEY ? emailKeys : sisIds;
            for (List<String> chunk : Sql.chunks(List.copyOf(values))) {
                ctx.select(CLEVER_RECORD.CLEVER_ID).from(Sql.lookUpIds(CLEVER_RECORD, column, chunk, CLEVER_RECORD.DISTRICT_ID.eq(districtId),
                                CLEVER_RECORD.KIND.eq(RecordKind.USER.label())))
                        .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.USER.label()))
                        .forEach(x -> users.add(x.value1()));
            }
        }
        return users;
    }

    /** Sections that point at any of these terms, courses or primary teachers. */
    public Set<String> sectionsPointingAt(String districtId, Collection<String> terms, Collection<String> courses, Collection<String> teachers) {
        Set<String> sections = new HashSet<>();
        for (Field<String> column : List.of(CLEVER_RECORD.REF_TERM, CLEVER_RECORD.REF_COURSE, CLEVER_RECORD.REF_TEACHER)) {
            Collection<String> values = column == CLEVER_RECORD.REF_TERM ? terms : column == CLEVER_RECORD.REF_COURSE ? courses : teachers;
            for (List<String> chunk : Sql.chunks(List.copyOf(values))) {
                ctx.select(CLEVER_RECORD.CLEVER_ID).from(Sql.lookUpIds(CLEVER_RECORD, column, chunk, CLEVER_RECORD.DISTRICT_ID.eq(districtId),
                                CLEVER_RECORD.KIND.eq(RecordKind.SECTION.label())))
                        .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.SECTION.label()))
                        .forEach(x -> sections.add(x.value1()));
            }
        }
        return sections;
    }

    /**
     * The next batch of records of a kind to decide, after {@code afterId} in id order: those shared now and those that
     * went away in this run. Each row carries what the derive step computed (see {@link FactRow}).
     */
    public List<FactRow> facts(String districtId, String runId, RecordKind kind, String afterId, int limit) {
        var r = CLEVER_RECORD;
        Condition decidable = r.GONE_RUN.isNull().or(r.GONE_RUN.eq(runId));
        Condition after = afterId == null ? DSL.trueCondition() : r.CLEVER_ID.gt(afterId);
        // the batch's ids first, from the primary key alone: the wide rows are then read as one bounded range
        List<String> batchIds = ctx.select(r.CLEVER_ID).from(r)
                .where(r.DISTRICT_ID.eq(districtId), r.KIND.eq(kind.label()), after, decidable)
                // the whole key: H2 then reads the index in order and stops at the limit (ordered by clever_id alone it
                // read and sorted every remaining row: 312 ms instead of 20 ms per batch at 200,000 rows)
                .orderBy(r.DISTRICT_ID, r.KIND, r.CLEVER_ID)
                .limit(limit)
                .fetch(r.CLEVER_ID);
        if (batchIds.isEmpty()) {
            return List.of();
        }
        return build(districtId, runId, kind, new Scope(batchIds.get(0), batchIds.get(batchIds.size() - 1), null), batchIds);
    }

    /**
     * The records of a kind with these ids (at most {@link #MAX_IDS}) to decide: an incremental run decides the records
     * its events touched, not the whole district. Ids the shadow does not hold, or holds as gone before this run, are left out.
     */
    public List<FactRow> factsOf(String districtId, String runId, RecordKind kind, List<String> ids) {
        if (ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("at most " + MAX_IDS + " ids at a time, got " + ids.size());
        }
        return ids.isEmpty() ? List.of() : build(districtId, runId, kind, new Scope(null, null, ids), ids);
    }

    /** The records a derive query covers: a range of Clever ids, or listed ids. */
    private record Scope(String first, String last, List<String> ids) {
        /** The enrollments of the listed users or sections ({@code column}), looked up by the index that starts with it. */
        Table<?> enrollments(Field<String> column, String districtId) {
            return ids == null ? CLEVER_ENROLLMENT : Sql.lookUpIds(CLEVER_ENROLLMENT, column, ids, CLEVER_ENROLLMENT.DISTRICT_ID.eq(districtId));
        }

        /** A shadow table read with other tables joined to it: the listed ids looked up by its primary key. */
        Table<?> records(CleverRecord table, String districtId, RecordKind kind) {
            return ids == null ? table
                    : Sql.lookUpIds(table, table.CLEVER_ID, ids, table.DISTRICT_ID.eq(districtId), table.KIND.eq(kind.label()));
        }

        Condition where(Field<String> column) {
            return ids == null ? column.between(first, last) : DSL.trueCondition();
        }
    }

    private List<FactRow> build(String districtId, String runId, RecordKind kind, Scope scope, List<String> batchIds) {
        var r = CLEVER_RECORD;
        Condition decidable = r.GONE_RUN.isNull().or(r.GONE_RUN.eq(runId));
        // the rules decide the record as the district's plugins made it; the shadow's payload stays what Clever sent
        var rows = ctx.select(r.CLEVER_ID, r.PLUGIN_PAYLOAD, r.BODY, r.FIRST_SEEN_RUN, r.CHANGED_RUN, r.GONE_RUN, r.EMAIL_KEY, r.SIS_ID,
                        RECORD_STATE.OUTCOME, RECORD_STATE.DECISION_HASH)
                .from(scope.records(r, districtId, kind))
                // the batch's range said of record_state too: PostgreSQL does not carry a range across a join, and
                // planned the join as a hash of every record_state row of the kind, read again for each batch (98 ms a
                // batch of 5,000 at 100k instead of 21 ms, and growing with the district: quadratic over a run)
                .leftJoin(RECORD_STATE).on(RECORD_STATE.DISTRICT_ID.eq(r.DISTRICT_ID), RECORD_STATE.KIND.eq(r.KIND),
                        RECORD_STATE.CLEVER_ID.eq(r.CLEVER_ID), scope.where(RECORD_STATE.CLEVER_ID))
                .where(r.DISTRICT_ID.eq(districtId), r.KIND.eq(kind.label()), scope.where(r.CLEVER_ID), decidable)
                .orderBy(r.CLEVER_ID)
                .fetch();
        Map<String, int[]> counts = new HashMap<>();
        Map<String, Set<String>> schools = new HashMap<>();
        Map<String, Sharing> dupEmails = Map.of();
        Map<String, Sharing> dupSis = Map.of();
        Map<String, Record> sectionExtras = Map.of();
        switch (kind) {
            case USER -> {
                ctx.select(CLEVER_ENROLLMENT.USER_ID, CLEVER_ENROLLMENT.ROLE, CLEVER_ENROLLMENT.SCHOOL_ID, DSL.count())
                        .from(scope.enrollments(CLEVER_ENROLLMENT.USER_ID, districtId))
                        .where(CLEVER_ENROLLMENT.DISTRICT_ID.eq(districtId), scope.where(CLEVER_ENROLLMENT.USER_ID))
                        .groupBy(CLEVER_ENROLLMENT.USER_ID, CLEVER_ENROLLMENT.ROLE, CLEVER_ENROLLMENT.SCHOOL_ID)
                        .orderBy(CLEVER_ENROLLMENT.USER_ID, CLEVER_ENROLLMENT.SCHOOL_ID)
                        .forEach(e -> {
                            counts.computeIfAbsent(e.value1(), k -> new int[2])["student".equals(e.value2()) ? 0 : 1] += e.value4();
                            if (e.value3() != null) {
                                schools.computeIfAbsent(e.value1(), k -> new LinkedHashSet<>()).add(e.value3());
                            }
                        });
                if (scope.ids() == null) {
                    dupEmails = duplicates(districtId, r.EMAIL_KEY);
                    dupSis = duplicates(districtId, r.SIS_ID);
                } else {
                    dupEmails = duplicatesOf(districtId, r.EMAIL_KEY, rows.map(x -> x.get(r.EMAIL_KEY)));
                    dupSis = duplicatesOf(districtId, r.SIS_ID, rows.map(x -> x.get(r.SIS_ID)));
                }
            }
            case SECTION -> {
                ctx.select(CLEVER_ENROLLMENT.SECTION_ID, CLEVER_ENROLLMENT.ROLE, DSL.count())
                        .from(scope.enrollments(CLEVER_ENROLLMENT.SECTION_ID, districtId))
                        .where(CLEVER_ENROLLMENT.DISTRICT_ID.eq(districtId), scope.where(CLEVER_ENROLLMENT.SECTION_ID))
                        .groupBy(CLEVER_ENROLLMENT.SECTION_ID, CLEVER_ENROLLMENT.ROLE)
                        .forEach(e -> counts.computeIfAbsent(e.value1(), k -> new int[2])["student".equals(e.value2()) ? 0 : 1] = e.value3());
                sectionExtras = sectionExtras(districtId, scope);
            }
            case TERM -> sectionCounts(districtId, r.REF_TERM, batchIds, counts);
            case COURSE -> courseSections(districtId, batchIds, counts, schools);
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
                Sharing email = row.get(r.EMAIL_KEY) == null ? null : dupEmails.get(row.get(r.EMAIL_KEY));
                Sharing sis = row.get(r.SIS_ID) == null ? null : dupSis.get(row.get(r.SIS_ID));
                flag1 = email != null;
                flag2 = sis != null;
                text1 = email == null ? null : email.otherThan(id);
                text2 = sis == null ? null : sis.otherThan(id);
            } else if (kind == RecordKind.SECTION) {
                Record extra = sectionExtras.get(id);
                if (extra != null) {
                    flag1 = extra.get("term_shared", Boolean.class);
                    flag2 = Boolean.TRUE.equals(extra.get("name_edited", Boolean.class));
                    text1 = extra.get("course_name", String.class);
                    text2 = extra.get("teacher_last", String.class);
                }
            }
            String decided = row.get(r.PLUGIN_PAYLOAD) != null ? row.get(r.PLUGIN_PAYLOAD) : PackedText.unpack(row.get(r.BODY));
            facts.add(new FactRow(id, decided, change, prev == null ? null : Outcome.valueOf(prev),
                    row.get(RECORD_STATE.DECISION_HASH), c[0], c[1], List.copyOf(schools.getOrDefault(id, Set.of())), flag1, flag2,
                    text1, text2));
        }
        return facts;
    }

    /**
     * Values shared by more than one user, each with the user that keeps it (the lowest Clever id, a stable choice) and
     * the highest. SIS ids are compared within a role: the shadow holds them qualified by the role whose SIS table they
     * come from. Found once per run over the whole district (only duplicates come back, a few percent of users) rather
     * than per batch.
     */
    private Map<String, Sharing> duplicates(String districtId, Field<String> column) {
        return duplicates.computeIfAbsent(districtId + "/" + column.getName(), key -> {
            Map<String, Sharing> dups = new HashMap<>();
            ctx.select(column, DSL.min(CLEVER_RECORD.CLEVER_ID), DSL.max(CLEVER_RECORD.CLEVER_ID)).from(CLEVER_RECORD)
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.USER.label()),
                            CLEVER_RECORD.GONE_RUN.isNull(), column.isNotNull(), DSL.trim(column).ne(""))
                    .groupBy(column).having(DSL.count().gt(1))
                    .forEach(x -> dups.put(x.value1(), new Sharing(x.value2(), x.value3())));
            return dups;
        });
    }

    /** Values of these that more than one user shares (see {@link #duplicates}). */
    private Map<String, Sharing> duplicatesOf(String districtId, Field<String> column, List<String> values) {
        Map<String, Sharing> dups = new HashMap<>();
        List<String> present = values.stream().filter(v -> v != null && !v.isBlank()).distinct().toList();
        for (List<String> chunk : Sql.chunks(present)) {
            ctx.select(column, DSL.min(CLEVER_RECORD.CLEVER_ID), DSL.max(CLEVER_RECORD.CLEVER_ID))
                    .from(Sql.lookUpIds(CLEVER_RECORD, column, chunk, CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.USER.label())))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.USER.label()),
                            CLEVER_RECORD.GONE_RUN.isNull())
                    .groupBy(column).having(DSL.count().gt(1))
                    .forEach(x -> dups.put(x.value1(), new Sharing(x.value2(), x.value3())));
        }
        return dups;
    }

    private void sectionCounts(String districtId, Field<String> ref, List<String> ids, Map<String, int[]> counts) {
        for (List<String> chunk : Sql.chunks(ids)) {
            ctx.select(ref, DSL.count())
                    .from(Sql.lookUpIds(CLEVER_RECORD, ref, chunk, CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.SECTION.label())))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.SECTION.label()),
                            CLEVER_RECORD.GONE_RUN.isNull())
                    .groupBy(ref)
                    .forEach(x -> counts.computeIfAbsent(x.value1(), k -> new int[2])[0] = x.value2());
        }
    }

    /** A course's shared sections, counted, and the schools they are at (P19 courses.per_school copies the course per school). */
    private void courseSections(String districtId, List<String> ids, Map<String, int[]> counts, Map<String, Set<String>> schools) {
        var ref = CLEVER_RECORD.REF_COURSE;
        for (List<String> chunk : Sql.chunks(ids)) {
            ctx.select(ref, CLEVER_RECORD.REF_SCHOOL, DSL.count())
                    .from(Sql.lookUpIds(CLEVER_RECORD, ref, chunk, CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.SECTION.label())))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.SECTION.label()),
                            CLEVER_RECORD.GONE_RUN.isNull())
                    .groupBy(ref, CLEVER_RECORD.REF_SCHOOL)
                    .orderBy(ref, CLEVER_RECORD.REF_SCHOOL)
                    .forEach(x -> {
                        counts.computeIfAbsent(x.value1(), k -> new int[2])[0] += x.value3();
                        if (x.value2() != null && !x.value2().isBlank()) {
                            schools.computeIfAbsent(x.value1(), k -> new LinkedHashSet<>()).add(x.value2());
                        }
                    });
        }
    }

    private Map<String, Record> sectionExtras(String districtId, Scope scope) {
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
                .from(scope.records(s, districtId, RecordKind.SECTION))
                .leftJoin(t).on(t.DISTRICT_ID.eq(s.DISTRICT_ID), t.KIND.eq(RecordKind.TERM.label()), t.CLEVER_ID.eq(s.REF_TERM), t.GONE_RUN.isNull())
                .leftJoin(c).on(c.DISTRICT_ID.eq(s.DISTRICT_ID), c.KIND.eq(RecordKind.COURSE.label()), c.CLEVER_ID.eq(s.REF_COURSE), c.GONE_RUN.isNull())
                .leftJoin(u).on(u.DISTRICT_ID.eq(s.DISTRICT_ID), u.KIND.eq(RecordKind.USER.label()), u.CLEVER_ID.eq(s.REF_TEACHER), u.GONE_RUN.isNull())
                .leftJoin(CLASSROOM).on(CLASSROOM.DISTRICT_ID.eq(s.DISTRICT_ID), CLASSROOM.CLEVER_ID.eq(s.CLEVER_ID))
                .where(s.DISTRICT_ID.eq(districtId), s.KIND.eq(RecordKind.SECTION.label()), scope.where(s.CLEVER_ID))
                .forEach(x -> extras.put(x.value1(), x));
        return extras;
    }
}
