package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.CLEVER_ENROLLMENT;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_JOURNAL;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;

import dev.homeroom.spi.Change;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.PackedText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import org.jooq.impl.DSL;

/**
 * The shadow: Clever's current state, one row per record with its content hash and the runs that created, changed
 * and lost it, plus the enrollments taken from shared sections. An unchanged record costs a hash compare and no write.
 * The journal keeps what changed in each run beyond what those columns say (updates, records that went away or came
 * back); a record's first appearance is its {@code first_seen_run}. Tables: {@code clever_record},
 * {@code clever_journal}, {@code clever_enrollment}.
 */
@API(status = API.Status.INTERNAL)
public final class ShadowStore {
    private final DSLContext ctx;
    private final Vendor vendor;
    private final Runnable onChange;

    ShadowStore(DSLContext ctx, Vendor vendor, Runnable onChange) {
        this.ctx = ctx;
        this.vendor = vendor;
        this.onChange = onChange;
    }

    /**
     * What the shadow holds of one record, as far as diffing needs; {@code changedRun} says whether this run changed it
     * already (then it may have a journal row of this run to replace).
     */
    private record Known(String contentHash, String goneRun, String changedRun) {}

    /**
     * Starts a full fetch of one kind: pages of the whole collection, each compared with the shadow's rows in the same
     * id range, so that what the collection no longer holds is found without touching the rows it still holds.
     */
    public CollectionFetch collection(String districtId, String runId, RecordKind kind) {
        return new CollectionFetch(districtId, runId, kind);
    }

    /**
     * A full fetch of one kind in progress. Clever pages a collection in id order, so each page covers the id range
     * after the previous page's last id; rows of the shadow in that range that the page does not hold are candidates
     * for "gone". A page out of order is handled too (its ids are looked up one by one and taken off the candidates),
     * so the order is a fast path, not an assumption.
     */
    public final class CollectionFetch {
        private final String districtId;
        private final String runId;
        private final RecordKind kind;
        private final Set<String> goneCandidates = new HashSet<>();
        private String highest;
        private boolean finished;
        private java.util.function.Consumer<List<String>> beforeChanging = ids -> { };

        private CollectionFetch(String districtId, String runId, RecordKind kind) {
            this.districtId = districtId;
            this.runId = runId;
            this.kind = kind;
        }

        /**
         * Tells {@code hook} the ids of records the shadow holds that this fetch is about to change or mark gone, before
         * it does: what they touched before the change (their enrollments, emails, references) can still be read.
         */
        public CollectionFetch beforeChanging(java.util.function.Consumer<List<String>> hook) {
            this.beforeChanging = java.util.Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * Applies one page: new records are inserted, changed ones updated, unchanged ones left alone. {@code keep}
         * are ids Clever sent that could not be read or transformed: they keep their last good version instead of
         * looking gone (one bad record never deactivates anything).
         */
        public PageDiff page(List<ShadowRecord> records, List<String> keep) {
            TreeSet<String> ids = new TreeSet<>();
            records.forEach(r -> ids.add(r.cleverId()));
            ids.addAll(keep);
            if (ids.isEmpty()) {
                return new PageDiff(List.of(), List.of(), 0);
            }
            Map<String, Known> known = new HashMap<>();
            String top = ids.last();
            if (highest == null || top.compareTo(highest) > 0) {
                Condition range = CLEVER_RECORD.CLEVER_ID.le(top);
                if (highest != null) {
                    range = range.and(CLEVER_RECORD.CLEVER_ID.gt(highest));
                }
                ctx.select(CLEVER_RECORD.CLEVER_ID, CLEVER_RECORD.CONTENT_HASH, CLEVER_RECORD.GONE_RUN, CLEVER_RECORD.CHANGED_RUN)
                        .from(CLEVER_RECORD)
                        .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()), range)
                        .forEach(x -> {
                            known.put(x.value1(), new Known(x.value2(), x.value3(), x.value4()));
                            if (x.value3() == null && !ids.contains(x.value1())) {
                                goneCandidates.add(x.value1());
                            }
                        });
            }
            if (highest != null) {
                // ids at or below the previous page's last id: out of order, looked up one by one
                List<String> early = new ArrayList<>(ids.headSet(highest, true));
                known.putAll(lookup(districtId, kind, early));
            }
            ids.forEach(goneCandidates::remove);
            if (highest == null || top.compareTo(highest) > 0) {
                highest = top;
            }
            return write(districtId, runId, kind, records, known, beforeChanging);
        }

        /** Marks what the collection no longer holds as gone (see {@link #markGone}) and returns those ids. */
        public List<String> finish() {
            if (finished) {
                throw new IllegalStateException("the fetch of " + kind.path() + " is finished already");
            }
            finished = true;
            Condition after = highest == null ? DSL.trueCondition() : CLEVER_RECORD.CLEVER_ID.gt(highest);
            ctx.select(CLEVER_RECORD.CLEVER_ID).from(CLEVER_RECORD)
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()), after,
                            CLEVER_RECORD.GONE_RUN.isNull())
                    .forEach(x -> goneCandidates.add(x.value1()));
            List<String> gone = new ArrayList<>(new TreeSet<>(goneCandidates));
            if (!gone.isEmpty()) {
                beforeChanging.accept(gone);
            }
            markGone(districtId, runId, kind, gone);
            return gone;
        }
    }

    /**
     * Applies records that are not a whole collection (a page of events, a test's handful): each is looked up by id.
     * New records are inserted, changed ones updated, unchanged ones left alone.
     */
    public PageDiff applyPage(String districtId, String runId, List<ShadowRecord> page) {
        if (page.isEmpty()) {
            return new PageDiff(List.of(), List.of(), 0);
        }
        RecordKind kind = page.get(0).kind();
        return write(districtId, runId, kind, page, lookup(districtId, kind, page.stream().map(ShadowRecord::cleverId).toList()),
                ids -> { });
    }

    private Map<String, Known> lookup(String districtId, RecordKind kind, List<String> ids) {
        Map<String, Known> known = new HashMap<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            ctx.select(CLEVER_RECORD.CLEVER_ID, CLEVER_RECORD.CONTENT_HASH, CLEVER_RECORD.GONE_RUN, CLEVER_RECORD.CHANGED_RUN)
                    .from(Sql.joinIds(CLEVER_RECORD, CLEVER_RECORD.CLEVER_ID, chunk))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()))
                    .forEach(x -> known.put(x.value1(), new Known(x.value2(), x.value3(), x.value4())));
        }
        return known;
    }

    private PageDiff write(String districtId, String runId, RecordKind kind, List<ShadowRecord> page, Map<String, Known> known,
                           java.util.function.Consumer<List<String>> beforeChanging) {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> cameBack = new ArrayList<>();
        int unchanged = 0;
        BulkWrites writes = new BulkWrites(ctx, vendor);
        List<Object[]> updates = new ArrayList<>();
        Set<Field<?>> updatedColumns = null; // every changed row sets the same columns, in the same order
        for (ShadowRecord rec : page) {
            Known old = known.get(rec.cleverId());
            if (old == null) {
                Map<Field<?>, Object> row = shadowColumns(rec, runId);
                row.put(CLEVER_RECORD.DISTRICT_ID, districtId);
                row.put(CLEVER_RECORD.KIND, kind.label());
                row.put(CLEVER_RECORD.CLEVER_ID, rec.cleverId());
                row.put(CLEVER_RECORD.FIRST_SEEN_RUN, runId);
                writes.insert(CLEVER_RECORD, row);
                created.add(rec.cleverId());
            } else if (old.goneRun() != null || !old.contentHash().equals(rec.contentHash())) {
                Map<Field<?>, Object> row = shadowColumns(rec, runId);
                row.put(CLEVER_RECORD.GONE_RUN, null);
                updatedColumns = row.keySet();
                Object[] binds = java.util.Arrays.copyOf(row.values().toArray(), row.size() + 3);
                binds[row.size()] = districtId;
                binds[row.size() + 1] = kind.label();
                binds[row.size() + 2] = rec.cleverId();
                updates.add(binds);
                if (old.goneRun() != null) {
                    created.add(rec.cleverId());
                    cameBack.add(rec.cleverId());
                } else {
                    updated.add(rec.cleverId());
                }
            } else {
                unchanged++;
            }
        }
        // a record met twice in one run (on two pages, or in two events) keeps one journal row: the last change (only a
        // record this run changed already can have one to replace)
        List<String> journaled = new ArrayList<>(cameBack);
        journaled.addAll(updated);
        if (!journaled.isEmpty()) {
            beforeChanging.accept(journaled);
        }
        forgetJournal(districtId, runId, kind, journaled.stream().filter(id -> runId.equals(known.get(id).changedRun())).toList());
        for (String id : cameBack) {
            journal(writes, districtId, runId, kind, id, Change.CREATED);
        }
        for (String id : updated) {
            journal(writes, districtId, runId, kind, id, Change.UPDATED);
        }
        if (!updates.isEmpty()) {
            // one prepared statement bound once a row (a query built and rendered per row cost more than the update)
            Map<Field<?>, Object> columns = new LinkedHashMap<>();
            updatedColumns.forEach(f -> columns.put(f, null));
            var batch = ctx.batch(ctx.update(CLEVER_RECORD).set(columns).where(CLEVER_RECORD.DISTRICT_ID.eq((String) null),
                    CLEVER_RECORD.KIND.eq((String) null), CLEVER_RECORD.CLEVER_ID.eq((String) null)));
            updates.forEach(batch::bind);
            batch.execute();
        }
        if (!writes.isEmpty() || !updates.isEmpty()) {
            writes.execute();
            onChange.run();
        }
        return new PageDiff(created, updated, unchanged);
    }

    /** The columns a fetched record sets, whether it is new or changed. */
    private static Map<Field<?>, Object> shadowColumns(ShadowRecord rec, String runId) {
        Map<Field<?>, Object> row = new LinkedHashMap<>();
        row.put(CLEVER_RECORD.CONTENT_HASH, rec.contentHash());
        row.put(CLEVER_RECORD.BODY, rec.packedPayload() != null ? rec.packedPayload() : PackedText.pack(rec.payload()));
        row.put(CLEVER_RECORD.CHANGED_RUN, runId);
        row.put(CLEVER_RECORD.EMAIL_KEY, rec.emailKey());
        row.put(CLEVER_RECORD.SIS_ID, rec.sisId());
        row.put(CLEVER_RECORD.LABEL, rec.label());
        row.put(CLEVER_RECORD.REF_TERM, rec.refTerm());
        row.put(CLEVER_RECORD.REF_COURSE, rec.refCourse());
        row.put(CLEVER_RECORD.REF_TEACHER, rec.refTeacher());
        row.put(CLEVER_RECORD.REF_SCHOOL, rec.refSchool());
        row.put(CLEVER_RECORD.SECTION_SUBJECT, rec.sectionSubject());
        row.put(CLEVER_RECORD.SECTION_GRADE, rec.sectionGrade());
        row.put(CLEVER_RECORD.PLUGIN_PAYLOAD, rec.pluginPayload());
        row.put(CLEVER_RECORD.PLUGIN_CHANGES, rec.pluginChanges());
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

    private static void journal(BulkWrites writes, String districtId, String runId, RecordKind kind, String id, Change change) {
        writes.insert(CLEVER_JOURNAL)
                .set(CLEVER_JOURNAL.DISTRICT_ID, districtId)
                .set(CLEVER_JOURNAL.RUN_ID, runId)
                .set(CLEVER_JOURNAL.KIND, kind.label())
                .set(CLEVER_JOURNAL.CLEVER_ID, id)
                .set(CLEVER_JOURNAL.CHANGE, change.name());
    }

    /**
     * Marks these records as gone in this run (Clever deleted or unshared them: a {@code *.deleted} event, or a full
     * fetch that no longer holds them), journals it, and drops the enrollments of gone sections. Ids the shadow does
     * not hold, or holds as gone already, are ignored.
     */
    public void markGone(String districtId, String runId, RecordKind kind, List<String> ids) {
        for (List<String> chunk : Sql.chunks(ids)) {
            List<String> present = new ArrayList<>();
            List<String> changedThisRun = new ArrayList<>(); // only these can have a journal row of this run to replace
            ctx.select(CLEVER_RECORD.CLEVER_ID, CLEVER_RECORD.CHANGED_RUN)
                    .from(Sql.joinIds(CLEVER_RECORD, CLEVER_RECORD.CLEVER_ID, chunk))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()), CLEVER_RECORD.GONE_RUN.isNull())
                    .forEach(x -> {
                        present.add(x.value1());
                        if (runId.equals(x.value2())) {
                            changedThisRun.add(x.value1());
                        }
                    });
            if (present.isEmpty()) {
                continue;
            }
            var markGone = ctx.batch(ctx.update(CLEVER_RECORD).set(CLEVER_RECORD.GONE_RUN, (String) null).set(CLEVER_RECORD.CHANGED_RUN, (String) null)
                    .where(CLEVER_RECORD.DISTRICT_ID.eq((String) null), CLEVER_RECORD.KIND.eq((String) null), CLEVER_RECORD.CLEVER_ID.eq((String) null)));
            present.forEach(id -> markGone.bind(runId, runId, districtId, kind.label(), id));
            markGone.execute();
            forgetJournal(districtId, runId, kind, changedThisRun);
            BulkWrites writes = new BulkWrites(ctx, vendor);
            present.forEach(id -> journal(writes, districtId, runId, kind, id, Change.GONE));
            writes.execute();
            if (kind == RecordKind.SECTION) {
                deleteEnrollments(districtId, present);
            }
            onChange.run();
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

    /**
     * Replaces the enrollments of these sections with the users they list now, and returns the sections whose
     * enrollments changed (a renamed section keeps its rows untouched: memberships follow only real changes).
     * {@code created} sections had none, so nothing is read or deleted for them.
     */
    public Set<String> replaceEnrollments(String districtId, List<SectionEnrollment> sections, Set<String> created) {
        return replaceEnrollments(districtId, sections, created, Map.of()).sections();
    }

    /**
     * What {@link #replaceEnrollments(String, List, Set, Map)} changed: the sections whose enrollments differ, and each
     * (section id, user id) whose enrollment rows were added or removed there (a changed role or school counts too).
     */
    public record EnrollmentChanges(Set<String> sections, Set<List<String>> members) {
        static final EnrollmentChanges NONE = new EnrollmentChanges(Set.of(), Set.of());
    }

    /**
     * {@link #replaceEnrollments(String, List, Set)} where {@code known} holds what {@link #neighbours} read of some of the
     * sections in this same step: their enrollments are taken from it instead of being read again.
     */
    public EnrollmentChanges replaceEnrollments(String districtId, List<SectionEnrollment> sections, Set<String> created,
                                                Map<String, NeighbourRow> known) {
        if (sections.isEmpty()) {
            return EnrollmentChanges.NONE;
        }
        Map<String, Set<List<String>>> wanted = new LinkedHashMap<>();
        for (SectionEnrollment s : sections) {
            Set<List<String>> rows = new HashSet<>(); // a user listed twice in one section (Clever allows it) is enrolled once
            for (String student : s.students()) {
                rows.add(java.util.Arrays.asList(student, "student", s.schoolId()));
            }
            for (String teacher : s.teachers()) {
                rows.add(java.util.Arrays.asList(teacher, "teacher", s.schoolId()));
            }
            wanted.put(s.sectionId(), rows);
        }
        Map<String, Set<List<String>>> stored = new HashMap<>();
        wanted.keySet().forEach(id -> {
            NeighbourRow row = known.get(id);
            // rows read from the store (a row that knows only its users, from enrolledNow, is read again)
            if (row != null && !created.contains(id) && (row.enrolled().isEmpty() || !row.enrollments().isEmpty())) {
                stored.put(id, row.enrollments());
            }
        });
        List<String> existing = wanted.keySet().stream().filter(id -> !created.contains(id) && !stored.containsKey(id)).toList();
        for (List<String> chunk : Sql.chunks(existing)) {
            ctx.select(CLEVER_ENROLLMENT.SECTION_ID, CLEVER_ENROLLMENT.USER_ID, CLEVER_ENROLLMENT.ROLE, CLEVER_ENROLLMENT.SCHOOL_ID)
                    .from(Sql.joinIds(CLEVER_ENROLLMENT, CLEVER_ENROLLMENT.SECTION_ID, chunk))
                    .where(CLEVER_ENROLLMENT.DISTRICT_ID.eq(districtId))
                    .forEach(x -> stored.computeIfAbsent(x.value1(), k -> new HashSet<>())
                            .add(java.util.Arrays.asList(x.value2(), x.value3(), x.value4())));
        }
        Set<String> changed = new TreeSet<>();
        wanted.forEach((id, rows) -> {
            if (!rows.equals(stored.getOrDefault(id, Set.of()))) {
                changed.add(id);
            }
        });
        if (changed.isEmpty()) {
            return EnrollmentChanges.NONE;
        }
        Set<List<String>> members = new HashSet<>();
        // only the rows that differ: a student joining a section of 30 writes one row, not 31
        var delete = ctx.batch(ctx.deleteFrom(CLEVER_ENROLLMENT).where(CLEVER_ENROLLMENT.DISTRICT_ID.eq((String) null),
                CLEVER_ENROLLMENT.SECTION_ID.eq((String) null), CLEVER_ENROLLMENT.USER_ID.eq((String) null),
                CLEVER_ENROLLMENT.ROLE.eq((String) null)));
        boolean deletes = false;
        List<Object[]> rows = new ArrayList<>();
        for (String id : changed) {
            Set<List<String>> now = wanted.get(id);
            Set<List<String>> before = stored.getOrDefault(id, Set.of());
            for (List<String> row : before) {
                if (!now.contains(row)) {
                    delete.bind(districtId, id, row.get(0), row.get(1));
                    deletes = true;
                    members.add(List.of(id, row.get(0)));
                }
            }
            for (List<String> row : now) {
                if (!before.contains(row)) {
                    rows.add(new Object[] {districtId, id, row.get(0), row.get(1), row.get(2)});
                    members.add(List.of(id, row.get(0)));
                }
            }
        }
        if (deletes) {
            delete.execute(); // before the inserts: a user whose school changed keeps the key, with the new school
        }
        new BulkWrites(ctx, vendor).insertRows(CLEVER_ENROLLMENT, List.of(CLEVER_ENROLLMENT.DISTRICT_ID, CLEVER_ENROLLMENT.SECTION_ID,
                CLEVER_ENROLLMENT.USER_ID, CLEVER_ENROLLMENT.ROLE, CLEVER_ENROLLMENT.SCHOOL_ID), rows);
        onChange.run();
        return new EnrollmentChanges(changed, members);
    }

    /** Replaces the enrollments of these sections with the users they list now. */
    public Set<String> replaceEnrollments(String districtId, List<SectionEnrollment> sections) {
        return replaceEnrollments(districtId, sections, Set.of());
    }

    /**
     * What other records' facts each of these records touches as the shadow holds it now: whether it is shared, the
     * email and SIS id it carries (duplicates), and for sections the term and course it points at (their section
     * counts) and the users it enrolls (their section counts and schools). A run reads this before and after it
     * changes the records, and decides again only what {@link #changedBetween} finds: a renamed section touches no one.
     */
    public Map<String, NeighbourRow> neighbours(String districtId, RecordKind kind, Collection<String> ids) {
        return neighbours(districtId, kind, ids, Map.of());
    }

    /**
     * {@link #neighbours(String, RecordKind, Collection)} where the caller knows the users some sections enroll now
     * ({@code enrolledNow}: it just wrote them): those sections' enrollments are not read again.
     */
    public Map<String, NeighbourRow> neighbours(String districtId, RecordKind kind, Collection<String> ids,
                                                Map<String, Set<String>> enrolledNow) {
        Map<String, NeighbourRow> rows = new HashMap<>();
        for (List<String> chunk : Sql.chunks(List.copyOf(ids))) {
            ctx.select(CLEVER_RECORD.CLEVER_ID, CLEVER_RECORD.GONE_RUN, CLEVER_RECORD.EMAIL_KEY, CLEVER_RECORD.SIS_ID,
                            CLEVER_RECORD.REF_TERM, CLEVER_RECORD.REF_COURSE, CLEVER_RECORD.REF_SCHOOL)
                    .from(Sql.joinIds(CLEVER_RECORD, CLEVER_RECORD.CLEVER_ID, chunk))
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()))
                    .forEach(x -> rows.put(x.value1(), new NeighbourRow(x.value2() == null, blankToNull(x.value3()),
                            blankToNull(x.value4()), blankToNull(x.value5()), blankToNull(x.value6()), blankToNull(x.value7()),
                            new HashSet<>(), new HashSet<>())));
            List<String> unknown = kind == RecordKind.SECTION ? chunk.stream().filter(id -> !enrolledNow.containsKey(id)).toList() : List.of();
            if (!unknown.isEmpty()) {
                ctx.select(CLEVER_ENROLLMENT.SECTION_ID, CLEVER_ENROLLMENT.USER_ID, CLEVER_ENROLLMENT.ROLE, CLEVER_ENROLLMENT.SCHOOL_ID)
                        .from(Sql.joinIds(CLEVER_ENROLLMENT, CLEVER_ENROLLMENT.SECTION_ID, unknown))
                        .where(CLEVER_ENROLLMENT.DISTRICT_ID.eq(districtId))
                        .forEach(x -> {
                            NeighbourRow row = rows.get(x.value1());
                            if (row != null) {
                                row.enrolled().add(x.value2());
                                row.enrollments().add(java.util.Arrays.asList(x.value2(), x.value3(), x.value4()));
                            }
                        });
            }
            if (kind == RecordKind.SECTION && !enrolledNow.isEmpty()) {
                for (String id : chunk) {
                    NeighbourRow row = rows.get(id);
                    if (row != null && enrolledNow.containsKey(id)) {
                        row.enrolled().addAll(enrolledNow.get(id)); // users only: its enrollment rows were not read
                    }
                }
            }
        }
        return rows;
    }

    /**
     * One record's {@link #neighbours}: for a section, the users it enrolls and, where they were read, its enrollment
     * rows (user, role, school).
     */
    public record NeighbourRow(boolean shared, String emailKey, String sisId, String term, String course, String school,
                               Set<String> enrolled, Set<List<String>> enrollments) {}

    /**
     * What the change of these records from {@code before} to {@code after} (both read with {@link #neighbours}) touches:
     * everything either side touches for a record that appeared, went away or came back; for one that stayed, only what
     * differs (an email it lost or gained, users it no longer or newly enrolls, a term it left or joined).
     */
    public static Neighbours changedBetween(Map<String, NeighbourRow> before, Map<String, NeighbourRow> after) {
        Neighbours n = Neighbours.none();
        Set<String> ids = new HashSet<>(before.keySet());
        ids.addAll(after.keySet());
        for (String id : ids) {
            NeighbourRow b = before.get(id);
            NeighbourRow a = after.get(id);
            boolean whole = b == null || a == null || b.shared() != a.shared();
            for (NeighbourRow side : java.util.Arrays.asList(b, a)) {
                if (side == null) {
                    continue;
                }
                NeighbourRow other = side == b ? a : b;
                addIf(n.emailKeys(), side.emailKey(), whole || !java.util.Objects.equals(side.emailKey(), other.emailKey()));
                addIf(n.sisIds(), side.sisId(), whole || !java.util.Objects.equals(side.sisId(), other.sisId()));
                addIf(n.terms(), side.term(), whole || !java.util.Objects.equals(side.term(), other.term()));
                // a section moved to another school moves its course's per-school copy (P19): the course is decided again
                addIf(n.courses(), side.course(), whole || !java.util.Objects.equals(side.course(), other.course())
                        || !java.util.Objects.equals(side.school(), other.school()));
                // a section moved to another school moves its users' per-school accounts (P14): they are decided again
                boolean moved = !whole && !java.util.Objects.equals(side.school(), other.school());
                for (String user : side.enrolled()) {
                    if (whole || moved || !other.enrolled().contains(user)) {
                        n.enrolledUsers().add(user);
                    }
                }
            }
        }
        return n;
    }

    private static void addIf(Set<String> set, String value, boolean add) {
        if (add && value != null) {
            set.add(value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** See {@link #neighbours}. The sets are mutable so that several reads can be merged with {@link #addAll}. */
    public record Neighbours(Set<String> emailKeys, Set<String> sisIds, Set<String> terms, Set<String> courses, Set<String> enrolledUsers) {
        public static Neighbours none() {
            return new Neighbours(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
        }

        public void addAll(Neighbours other) {
            emailKeys.addAll(other.emailKeys);
            sisIds.addAll(other.sisIds);
            terms.addAll(other.terms);
            courses.addAll(other.courses);
            enrolledUsers.addAll(other.enrolledUsers);
        }
    }

    /** What each district plugin changed in a record as it was last fetched (as the engine encoded it), if any did. */
    public Optional<String> pluginChanges(String districtId, RecordKind kind, String cleverId) {
        return ctx.select(CLEVER_RECORD.PLUGIN_CHANGES).from(CLEVER_RECORD).where(recordKey(districtId, kind, cleverId))
                .fetchOptional(CLEVER_RECORD.PLUGIN_CHANGES);
    }

    /** Whether the shadow holds any record of this kind for the district (gone ones included). */
    public boolean holdsAny(String districtId, RecordKind kind) {
        return ctx.fetchExists(ctx.selectOne().from(CLEVER_RECORD)
                .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label())));
    }

    /** The record as Clever sent it. */
    public Optional<String> payload(String districtId, RecordKind kind, String cleverId) {
        return ctx.select(CLEVER_RECORD.BODY).from(CLEVER_RECORD).where(recordKey(districtId, kind, cleverId))
                .fetchOptional(CLEVER_RECORD.BODY).map(PackedText::unpack);
    }

    /** Every district and kind a Clever id is known under (Clever ids are unique, but one store may hold many districts). */
    public List<RecordRef> find(String cleverId) {
        // by district and kind, so each is a lookup of the primary key (district, kind, clever_id), not a scan of the table
        return ctx.select(CLEVER_RECORD.DISTRICT_ID, CLEVER_RECORD.KIND).from(CLEVER_RECORD)
                .where(CLEVER_RECORD.DISTRICT_ID.in(ctx.select(dev.homeroom.store.internal.jooq.Tables.DISTRICT.DISTRICT_ID)
                                .from(dev.homeroom.store.internal.jooq.Tables.DISTRICT)),
                        CLEVER_RECORD.KIND.in(ALL_KINDS), CLEVER_RECORD.CLEVER_ID.eq(cleverId))
                .fetch(r -> new RecordRef(r.value1(), Sql.kindOf(r.value2()), cleverId));
    }

    /** {@link #find(String)} within one district: a lookup of the primary key per kind. */
    public List<RecordRef> find(String districtId, String cleverId) {
        return ctx.select(CLEVER_RECORD.DISTRICT_ID, CLEVER_RECORD.KIND).from(CLEVER_RECORD)
                .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.in(ALL_KINDS), CLEVER_RECORD.CLEVER_ID.eq(cleverId))
                .fetch(r -> new RecordRef(r.value1(), Sql.kindOf(r.value2()), cleverId));
    }

    /** Every kind's label: a condition {@code kind in (…)} lets a lookup by Clever id use the primary key. */
    static final List<String> ALL_KINDS = java.util.Arrays.stream(RecordKind.values()).map(RecordKind::label).toList();

    /** The Clever ids of a kind the shadow holds (shared now or not), in id order: for tests and tools. */
    public List<String> ids(String districtId, RecordKind kind) {
        return ctx.select(CLEVER_RECORD.CLEVER_ID).from(CLEVER_RECORD)
                .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()))
                .orderBy(CLEVER_RECORD.CLEVER_ID)
                .fetch(CLEVER_RECORD.CLEVER_ID);
    }

    /** How many records of each kind the shadow holds as currently shared. */
    public int sharedCount(String districtId, RecordKind kind) {
        return ctx.fetchCount(CLEVER_RECORD, CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(kind.label()),
                CLEVER_RECORD.GONE_RUN.isNull());
    }

    static Condition recordKey(String districtId, RecordKind kind, String cleverId) {
        return CLEVER_RECORD.DISTRICT_ID.eq(districtId).and(CLEVER_RECORD.KIND.eq(kind.label())).and(CLEVER_RECORD.CLEVER_ID.eq(cleverId));
    }
}
