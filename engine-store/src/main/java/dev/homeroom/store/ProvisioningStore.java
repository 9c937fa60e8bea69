package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_ENROLLMENT;

import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.ContentHash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Record4;
import org.jooq.ResultQuery;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * What the host application sees: provisioned accounts, classes, terms, schools and courses (one table each, never
 * deleted, deactivated instead), and class memberships derived from Clever's enrollments. Every change goes to the
 * outbox in the same transaction. Tables: {@code account}, {@code classroom}, {@code term}, {@code school},
 * {@code course}, {@code classroom_membership}.
 */
@API(status = API.Status.INTERNAL)
public final class ProvisioningStore {
    private final DSLContext ctx;
    private final Vendor vendor;
    private final OutboxStore outbox;
    private final RevertStore reverts;
    private final List<EditConflict> editConflicts = new ArrayList<>();
    private final Map<String, String> valueHashes = new HashMap<>();
    private final Set<String> membershipChanges = new java.util.HashSet<>();
    private final Set<String> gradeChanges = new java.util.HashSet<>();
    /** The account columns a membership depends on besides the active flag (P14 PRIMARY_ONLY). */
    private static final List<Field<?>> MEMBERSHIP_COLUMNS = List.of(ACCOUNT.FLAGS, ACCOUNT.PRIMARY_SCHOOL_ID);

    private final PlannerStatistics statistics;

    ProvisioningStore(DSLContext ctx, Vendor vendor, OutboxStore outbox, PlannerStatistics statistics, RevertStore reverts) {
        this.ctx = ctx;
        this.vendor = vendor;
        this.outbox = outbox;
        this.statistics = statistics;
        this.reverts = reverts;
    }

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
        return reconcile(districtId, runId, kind, desired, off, edits, null);
    }

    /**
     * {@link #reconcile} for records that are every decided record with a Clever id in {@code range} (a decide batch):
     * their provisioned rows are read as one range of the primary key instead of id by id.
     */
    public Map<String, ProvisionedChange> reconcile(String districtId, String runId, RecordKind kind, List<Provisioned> desired,
                                                    Collection<String> off, EditPolicy edits, IdRange range) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        Map<String, ProvisionedChange> changes = new LinkedHashMap<>();
        valueHashes.clear();
        membershipChanges.clear();
        gradeChanges.clear();
        Set<String> ids = new java.util.HashSet<>(desired.size() + off.size());
        desired.forEach(p -> ids.add(p.cleverId()));
        ids.addAll(off);
        Map<String, Record> existing = new HashMap<>();
        if (range != null) {
            ctx.select(pt.table().fields()).from(pt.table())
                    .where(pt.district().eq(districtId), pt.cleverId().between(range.first(), range.last()), pt.synced())
                    .forEach(rec -> {
                        if (ids.contains(rec.get(pt.cleverId()))) {
                            existing.put(pt.key(rec), rec);
                        }
                    });
        } else {
            for (List<String> chunk : Sql.chunks(List.copyOf(ids))) {
                ctx.select(pt.table().fields()).from(Sql.joinIds(pt.table(), pt.cleverId(), chunk))
                        .where(pt.district().eq(districtId), pt.synced()) // a host's manual rows are never Clever's to change
                        .forEach(rec -> existing.put(pt.key(rec), rec));
            }
        }
        BulkWrites writes = new BulkWrites(ctx, vendor);
        Set<String> desiredKeys = new java.util.HashSet<>();
        Set<String> desiredIds = new java.util.HashSet<>();
        for (Provisioned p : desired) {
            desiredKeys.add(p.key());
            desiredIds.add(p.cleverId());
            Record old = existing.get(p.key());
            Map<Field<?>, Object> values = pt.values(p, old, edits, editConflicts);
            String hash = ContentHash.of(values);
            valueHashes.put(p.key(), hash);
            ProvisionedChange change;
            if (old == null) {
                Map<Field<?>, Object> insert = new LinkedHashMap<>(values);
                insert.put(pt.district(), districtId);
                insert.put(pt.cleverId(), p.cleverId());
                if (pt.role() != null) {
                    insert.putAll(pt.keyPartValues(p.accountRole()));
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
                    reverts.keep(writes, districtId, runId, kind, pt, old); // so the run can be reverted
                    change = wasActive ? ProvisionedChange.UPDATED : ProvisionedChange.REACTIVATED;
                    if (change == ProvisionedChange.UPDATED && kind == RecordKind.USER
                            && MEMBERSHIP_COLUMNS.stream().anyMatch(f -> !java.util.Objects.equals(values.get(f), old.get(f)))) {
                        membershipChanges.add(p.key());
                    }
                    if (change == ProvisionedChange.UPDATED && kind == RecordKind.USER
                            && !java.util.Objects.equals(values.get(ACCOUNT.GRADE), old.get(ACCOUNT.GRADE))) {
                        gradeChanges.add(p.key());
                    }
                }
            }
            if (change == ProvisionedChange.CREATED || change == ProvisionedChange.REACTIVATED) {
                membershipChanges.add(p.key());
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
                        .where(pt.keyCondition(districtId, id, pt.keyPart(old))));
                reverts.keep(writes, districtId, runId, kind, pt, old);
                changes.put(e.getKey(), ProvisionedChange.DEACTIVATED);
                membershipChanges.add(e.getKey());
            }
        }
        for (var e : changes.entrySet()) {
            if (e.getValue() != ProvisionedChange.UNCHANGED) {
                outbox.add(writes, districtId, runId, kind, e.getKey(), e.getValue());
            }
        }
        writes.execute();
        return changes;
    }

    /**
     * The keys of the last {@link #reconcile} call whose change can change memberships: rows created, reactivated or
     * deactivated, and accounts whose flags or primary school changed. A renamed class or an account with a new name
     * leaves every membership as it was.
     */
    public Set<String> lastMembershipChanges() {
        return Set.copyOf(membershipChanges);
    }

    /**
     * The keys of the last {@link #reconcile} call of accounts that stayed active with another grade. With
     * {@link #lastMembershipChanges} (accounts that came or went) they are what can change a class's derived grade.
     */
    public Set<String> lastGradeChanges() {
        return Set.copyOf(gradeChanges);
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

    /**
     * The hash of the values each desired row of the last {@link #reconcile} call carries, by {@link Provisioned#key()}:
     * what a plan's fingerprint covers besides the change itself, so an approval applies the values a person reviewed.
     */
    public Map<String, String> lastValueHashes() {
        return Map.copyOf(valueHashes);
    }

    /**
     * A digest of the membership rows this run changed (class, user, role and the active flag), for a plan's
     * fingerprint: two runs that change the same memberships the same way have the same digest.
     */
    public String membershipChangesDigest(String districtId, String runId) {
        var m = CLASSROOM_MEMBERSHIP;
        long sum = 0;
        long count = 0;
        try (var rows = ctx.select(m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE).from(m)
                .where(m.DISTRICT_ID.eq(districtId), m.UPDATED_RUN.eq(runId), m.MANUAL.isFalse()).fetchSize(10_000).fetchLazy()) {
            for (var r : rows) {
                sum += ContentHash.longOf(r.value1() + '|' + r.value2() + '|' + r.value3() + '|' + r.value4());
                count++;
            }
        }
        return Long.toHexString(sum) + "-" + count;
    }

    /** How many class memberships Clever's enrollments made are active in a district (manual ones are not counted). */
    public long activeMembershipCount(String districtId) {
        return ctx.fetchCount(CLASSROOM_MEMBERSHIP, CLASSROOM_MEMBERSHIP.DISTRICT_ID.eq(districtId), CLASSROOM_MEMBERSHIP.ACTIVE.isTrue(),
                CLASSROOM_MEMBERSHIP.MANUAL.isFalse());
    }

    /**
     * How many synced provisioned rows of a kind are active in a district: not a host's manual rows (P23); for courses,
     * Clever's (with their per-school copies, P19), not self-generated ones (P13), which follow memberships and are not
     * in Clever's collection.
     */
    public int activeCount(String districtId, RecordKind kind) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        Condition c = pt.district().eq(districtId).and(pt.active().isTrue()).and(pt.synced());
        if (kind == RecordKind.COURSE) {
            c = c.and(dev.homeroom.store.internal.jooq.Tables.COURSE.SELF_GENERATED.isFalse());
        }
        return ctx.fetchCount(pt.table(), c);
    }

    /**
     * Brings class memberships in line with enrollments: a user is a member of a class when Clever enrolls them in its
     * section and both the class and one of the user's accounts are active. Memberships are deactivated, never deleted.
     * Each change goes to the outbox (one INSERT … SELECT, see {@link OutboxStore}). Returns {created, reactivated, deactivated}.
     */
    public int[] syncMemberships(String districtId, String runId) {
        var e = CLEVER_ENROLLMENT;
        var m = CLASSROOM_MEMBERSHIP;
        boolean firstMemberships = !ctx.fetchExists(m, m.DISTRICT_ID.eq(districtId));
        int created = insertMissingMemberships(districtId, runId, e, firstMemberships);
        statistics.refresh(m); // the first run just inserted every membership: plan the updates below on real row counts
        if (firstMemberships) {
            // the district had none: every membership is one the insert just made, active and wanted, so there is
            // nothing to turn on or off (at 1M students the two checks read all 2 million memberships for nothing)
            outbox.addMembershipChanges(districtId, runId);
            return new int[] {created, 0, 0};
        }
        // a host's manual memberships follow what the host asked for, never Clever's enrollments (ManualStore)
        Condition stillEnrolled = stillEnrolled();
        Condition synced = m.MANUAL.isFalse();
        // what each update replaces is kept first, by the same condition, so the run can be reverted
        reverts.keepMemberships(districtId, runId, m.ACTIVE.isFalse().and(synced).and(stillEnrolled));
        int reactivated = ctx.update(m).set(m.ACTIVE, true).set(m.UPDATED_RUN, runId)
                .where(m.DISTRICT_ID.eq(districtId), m.ACTIVE.isFalse(), synced, stillEnrolled).execute();
        reverts.keepMemberships(districtId, runId, m.ACTIVE.isTrue().and(synced).and(DSL.not(stillEnrolled)));
        int deactivated = ctx.update(m).set(m.ACTIVE, false).set(m.UPDATED_RUN, runId)
                .where(m.DISTRICT_ID.eq(districtId), m.ACTIVE.isTrue(), synced, DSL.not(stillEnrolled)).execute();
        outbox.addMembershipChanges(districtId, runId);
        return new int[] {created, reactivated, deactivated};
    }

    /**
     * {@link #syncMemberships(String, String)} for the memberships of these sections and users only: an incremental run
     * passes the sections and users it decided, the only ones whose memberships can have changed. Ids are joined as a
     * table, never as {@code IN (SELECT …)}: H2 runs such a subquery once per row it tests.
     */
    public int[] syncMemberships(String districtId, String runId, Collection<String> sections, Collection<String> users) {
        return syncMemberships(districtId, runId, sections, users, List.of());
    }

    /**
     * {@link #syncMemberships(String, String, Collection, Collection)} plus the memberships of each (section id, user id)
     * in {@code members}: where a section's enrollments changed but its class did not, only the users whose enrollment
     * rows came or went can have a membership to change (one student joining a section of 30 checks one, not 31).
     */
    public int[] syncMemberships(String districtId, String runId, Collection<String> sections, Collection<String> users,
                                 Collection<List<String>> members) {
        var e = CLEVER_ENROLLMENT;
        var m = CLASSROOM_MEMBERSHIP;
        int[] total = new int[3];
        for (List<String> chunk : Sql.chunks(List.copyOf(sections))) {
            syncMembershipsOf(districtId, runId, Sql.joinIds(e, e.SECTION_ID, chunk), Sql.joinIds(m, m.CLASS_ID, chunk), total);
        }
        for (List<String> chunk : Sql.chunks(List.copyOf(users))) {
            syncMembershipsOf(districtId, runId, Sql.joinIds(e, e.USER_ID, chunk), Sql.joinIds(m, m.USER_ID, chunk), total);
        }
        for (List<List<String>> chunk : Sql.chunks(List.copyOf(members))) {
            syncMembershipsOf(districtId, runId, Sql.joinPairs(e, e.SECTION_ID, e.USER_ID, chunk),
                    Sql.joinPairs(m, m.CLASS_ID, m.USER_ID, chunk), total);
        }
        outbox.addMembershipChanges(districtId, runId);
        return total;
    }

    /**
     * Inserts the missing memberships that {@code enrollments} call for and turns on or off those of {@code memberships}
     * whose wanted state differs (both: the tables joined to the ids in scope); adds to {created, reactivated, deactivated}.
     */
    private void syncMembershipsOf(String districtId, String runId, Table<?> enrollments, Table<?> memberships, int[] total) {
        var m = CLASSROOM_MEMBERSHIP;
        total[0] += insertMissingMemberships(districtId, runId, enrollments, false);
        List<Query> keeps = new ArrayList<>();
        List<Query> updates = new ArrayList<>();
        // only the rows that must change are sent (nearly all stay as they are: at 100k, 100,000 rows of a 10,000-event
        // run were read to change 2,400). The test stays an expression, evaluated row by row through the indexes: as a
        // WHERE [NOT] EXISTS, PostgreSQL planned it as a join, and on tables without statistics that join took seconds
        // for a district of 20 users.
        ctx.select(m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE, m.UPDATED_RUN)
                .from(memberships)
                .where(m.DISTRICT_ID.eq(districtId), m.MANUAL.isFalse(), // manual ones: ManualStore
                        DSL.when(stillEnrolled(), DSL.inline(true)).otherwise(DSL.inline(false)).ne(m.ACTIVE))
                .forEach(x -> {
                    boolean wanted = !Boolean.TRUE.equals(x.value4());
                    total[wanted ? 1 : 2]++;
                    keeps.add(reverts.keepMembership(districtId, runId, x.value1(), x.value2(), x.value3(), !wanted, x.value5()));
                    updates.add(ctx.update(m).set(m.ACTIVE, wanted).set(m.UPDATED_RUN, runId)
                            .where(m.DISTRICT_ID.eq(districtId), m.CLASS_ID.eq(x.value1()), m.USER_ID.eq(x.value2()),
                                    m.ROLE.eq(x.value3())));
                });
        // what each update replaces is kept first; each shape goes as one prepared batch
        BulkWrites writes = new BulkWrites(ctx, vendor);
        keeps.forEach(writes::add);
        updates.forEach(writes::add);
        writes.execute();
    }

    /**
     * Enrolled, and both the class and one of the user's accounts active (P14 PER_SCHOOL_ACCOUNTS: the account at the
     * section's school; PRIMARY_ONLY: only at the primary school).
     */
    private static Condition enrolledAndActive() {
        var e = CLEVER_ENROLLMENT;
        return DSL.exists(DSL.selectOne().from(CLASSROOM).where(CLASSROOM.DISTRICT_ID.eq(e.DISTRICT_ID),
                        CLASSROOM.CLEVER_ID.eq(e.SECTION_ID), CLASSROOM.ACTIVE.isTrue()))
                .and(DSL.exists(DSL.selectOne().from(ACCOUNT).where(ACCOUNT.DISTRICT_ID.eq(e.DISTRICT_ID),
                        ACCOUNT.CLEVER_ID.eq(e.USER_ID), ACCOUNT.ACTIVE.isTrue(),
                        // P14 PER_SCHOOL_ACCOUNTS: a section's membership goes with the account at the section's school
                        ACCOUNT.ACCOUNT_SCHOOL.eq("").or(ACCOUNT.ACCOUNT_SCHOOL.eq(e.SCHOOL_ID)),
                        // P14 PRIMARY_ONLY: a flagged user is a member only of sections at their primary school
                        DSL.coalesce(ACCOUNT.FLAGS, "").notLike("%" + PRIMARY_SCHOOL_ONLY + "%")
                                .or(ACCOUNT.PRIMARY_SCHOOL_ID.eq(e.SCHOOL_ID)))));
    }

    /** Whether a membership row is still wanted: its enrollment exists and {@link #enrolledAndActive}. */
    private static Condition stillEnrolled() {
        var e = CLEVER_ENROLLMENT;
        var m = CLASSROOM_MEMBERSHIP;
        return DSL.exists(DSL.selectOne().from(e).where(e.DISTRICT_ID.eq(m.DISTRICT_ID),
                e.SECTION_ID.eq(m.CLASS_ID), e.USER_ID.eq(m.USER_ID), e.ROLE.eq(m.ROLE), enrolledAndActive()));
    }

    /**
     * Inserts the memberships that {@code enrollments} (the enrollment table, or part of it) call for and that do not
     * exist. {@code noneYet}: the district has no membership at all, so none is looked for (the enrollments' key is
     * the memberships' own, so each is inserted once): at 1M students, 2 million inserts without {@code ON CONFLICT}.
     */
    private int insertMissingMemberships(String districtId, String runId, Table<?> enrollments, boolean noneYet) {
        var e = CLEVER_ENROLLMENT;
        var m = CLASSROOM_MEMBERSHIP;
        var enrolled = DSL.select(e.DISTRICT_ID, e.SECTION_ID, e.USER_ID, e.ROLE, DSL.inline(true), DSL.val(runId), DSL.val(runId))
                .from(enrollments);
        var into = ctx.insertInto(m, m.DISTRICT_ID, m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE, m.UPDATED_RUN, m.CREATED_RUN);
        Condition wanted = e.DISTRICT_ID.eq(districtId).and(enrolledAndActive());
        if (noneYet) {
            return into.select(enrolled.where(wanted)).execute();
        }
        if (vendor == Vendor.POSTGRESQL) {
            // not "NOT EXISTS (… the table being filled …)": on a first run PostgreSQL plans that as a nested loop over a
            // heap that grows with every inserted row (6.7 s for 41,608 memberships); the primary key skips existing ones
            return into.select(enrolled.where(wanted)).onConflictDoNothing().execute();
        }
        return into.select(enrolled.where(wanted, DSL.notExists(DSL.selectOne().from(m).where(m.DISTRICT_ID.eq(e.DISTRICT_ID),
                        m.CLASS_ID.eq(e.SECTION_ID), m.USER_ID.eq(e.USER_ID), m.ROLE.eq(e.ROLE)))))
                .execute();
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
        List<Query> writes = new ArrayList<>();
        deriveClassGrades(districtId, writes);
        deriveDefaultClasses(districtId, CLASSROOM_MEMBERSHIP, ACCOUNT, writes);
        execute(writes);
    }

    /**
     * The class grades and default classes of {@link #deriveFromMemberships(String)} for what a run changed, and only
     * that: the grades of these sections and of the classes these {@code gradeUsers} are members of (sections whose
     * members changed, users whose memberships or grade did); the default classes of these {@code users} and of the
     * members of these sections.
     * <p>
     * The members of those classes are read once, with their accounts, for both: each class's grade is counted from
     * them, and among the members of the sections are the only accounts whose default class the sections' change can
     * move (flagged PRIMARY_CLASS or holding one; most districts flag no one, and then nothing more is read). Reading
     * them a second time for the default classes took 0.8 s of a 10,300-event run of 8.9 s on H2 at 100,000 students.
     */
    public void deriveFromMemberships(String districtId, Collection<String> sections, Collection<String> gradeUsers,
                                      Collection<String> users) {
        var m = CLASSROOM_MEMBERSHIP;
        Set<String> classes = new java.util.HashSet<>(sections);
        for (List<String> chunk : Sql.chunks(List.copyOf(gradeUsers))) {
            ctx.selectDistinct(m.CLASS_ID).from(Sql.joinIds(m, m.USER_ID, chunk)).where(m.DISTRICT_ID.eq(districtId))
                    .forEach(x -> classes.add(x.value1()));
        }
        Set<String> changedSections = sections instanceof Set<String> set ? set : new java.util.HashSet<>(sections);
        Set<String> inPlay = new java.util.HashSet<>();
        List<Query> writes = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(List.copyOf(classes))) {
            Map<String, Map<String, Set<String>>> members = new HashMap<>(); // class -> grade -> distinct students
            ctx.select(m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE, ACCOUNT.ACTIVE, ACCOUNT.GRADE, DSL.field(holdsOrWantsDefaultClass()))
                    .from(Sql.lookUpIds(m, m.CLASS_ID, chunk, m.DISTRICT_ID.eq(districtId)))
                    .join(ACCOUNT).on(ACCOUNT.DISTRICT_ID.eq(m.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(m.USER_ID))
                    .where(m.DISTRICT_ID.eq(districtId))
                    .forEach(x -> {
                        // as the whole district's count: active students' memberships, active accounts with a grade,
                        // a student with an account per school (P14) counted once
                        if ("student".equals(x.value3()) && Boolean.TRUE.equals(x.value4()) && Boolean.TRUE.equals(x.value5())
                                && x.value6() != null) {
                            members.computeIfAbsent(x.value1(), k -> new HashMap<>()).computeIfAbsent(x.value6(), k -> new java.util.HashSet<>())
                                    .add(x.value2());
                        }
                        // memberships are deactivated, never deleted: members now or before
                        if (Boolean.TRUE.equals(x.value7()) && changedSections.contains(x.value1())) {
                            inPlay.add(x.value2());
                        }
                    });
            Map<String, Map<String, Integer>> grades = new HashMap<>();
            members.forEach((classId, byGrade) -> byGrade.forEach((grade, students) ->
                    grades.computeIfAbsent(classId, k -> new java.util.TreeMap<>()).put(grade, students.size())));
            writeClassGrades(districtId, grades, Sql.joinIds(CLASSROOM, CLASSROOM.CLEVER_ID, chunk), writes);
        }
        for (List<String> chunk : Sql.chunks(List.copyOf(users))) {
            ctx.selectDistinct(ACCOUNT.CLEVER_ID).from(Sql.joinIds(ACCOUNT, ACCOUNT.CLEVER_ID, chunk))
                    .where(ACCOUNT.DISTRICT_ID.eq(districtId), holdsOrWantsDefaultClass())
                    .forEach(x -> inPlay.add(x.value1()));
        }
        for (List<String> chunk : Sql.chunks(List.copyOf(inPlay))) {
            deriveDefaultClasses(districtId, Sql.joinIds(m, m.USER_ID, chunk), Sql.joinIds(ACCOUNT, ACCOUNT.CLEVER_ID, chunk), writes);
        }
        execute(writes);
    }

    /** The derived values' updates, as one batch. */
    private void execute(List<Query> writes) {
        if (!writes.isEmpty()) {
            ctx.batch(writes).execute();
        }
    }

    /** The whole district's class grades, counted by the database. */
    private void deriveClassGrades(String districtId, List<Query> writes) {
        var m = CLASSROOM_MEMBERSHIP;
        Map<String, Map<String, Integer>> grades = new HashMap<>();
        // distinct members: a student with an account per school (P14) is counted once
        ctx.select(m.CLASS_ID, ACCOUNT.GRADE, DSL.countDistinct(m.USER_ID)).from(m)
                .join(ACCOUNT).on(ACCOUNT.DISTRICT_ID.eq(m.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(m.USER_ID), ACCOUNT.ACTIVE.isTrue())
                .where(m.DISTRICT_ID.eq(districtId), m.ROLE.eq("student"), m.ACTIVE.isTrue(), ACCOUNT.GRADE.isNotNull())
                .groupBy(m.CLASS_ID, ACCOUNT.GRADE)
                .forEach(x -> grades.computeIfAbsent(x.value1(), k -> new java.util.TreeMap<>()).put(x.value2(), x.value3()));
        writeClassGrades(districtId, grades, CLASSROOM, writes);
    }

    /** The updates of the classes (of {@code classes}) whose most common student grade is no longer the one they hold. */
    private void writeClassGrades(String districtId, Map<String, Map<String, Integer>> grades, Table<?> classes, List<Query> writes) {
        Map<String, String> current = new HashMap<>();
        // a host's manual class is never written by a sync: it has no derived grade
        ctx.select(CLASSROOM.CLEVER_ID, CLASSROOM.DERIVED_GRADE).from(classes).where(CLASSROOM.DISTRICT_ID.eq(districtId),
                        CLASSROOM.MANUAL.isFalse())
                .forEach(x -> current.put(x.value1(), x.value2()));
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
    }

    private void deriveDefaultClasses(String districtId, Table<?> userMemberships, Table<?> accounts, List<Query> writes) {
        var m = CLASSROOM_MEMBERSHIP;
        // only flagged students are read: a district of a million students does not load a million rows here
        Condition flagged = flaggedForDefaultClass();
        Map<String, String> primary = new HashMap<>();
        ctx.select(m.USER_ID, DSL.min(m.CLASS_ID)).from(userMemberships)
                .join(ACCOUNT).on(ACCOUNT.DISTRICT_ID.eq(m.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(m.USER_ID))
                .where(m.DISTRICT_ID.eq(districtId), m.ROLE.eq("student"), m.ACTIVE.isTrue(), m.MANUAL.isFalse(), flagged)
                .groupBy(m.USER_ID)
                .forEach(x -> primary.put(x.value1(), x.value2()));
        accountsInPlay(districtId, accounts).forEach(x -> {
            boolean wanted = x.value3() != null && x.value3().contains(PRIMARY_CLASS);
            String value = wanted ? primary.get(x.value1()) : null;
            if (!java.util.Objects.equals(value, x.value4())) {
                writes.add(ctx.update(ACCOUNT).set(ACCOUNT.PRIMARY_CLASS_ID, value)
                        .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(x.value1()), ACCOUNT.ACCOUNT_ROLE.eq(x.value2())));
            }
        });
    }

    /**
     * The accounts of {@code accounts} (the table, or joined to ids) whose default class can change: {@link
     * #holdsOrWantsDefaultClass}. On PostgreSQL the whole district's are read through their own index (V021).
     */
    ResultQuery<Record4<String, String, String, String>> accountsInPlay(String districtId, Table<?> accounts) {
        return ctx.select(ACCOUNT.CLEVER_ID, ACCOUNT.ACCOUNT_ROLE, ACCOUNT.FLAGS, ACCOUNT.PRIMARY_CLASS_ID).from(accounts)
                .where(ACCOUNT.DISTRICT_ID.eq(districtId), holdsOrWantsDefaultClass());
    }

    /** An account flagged PRIMARY_CLASS (P13): it asks for a default class. */
    private static Condition flaggedForDefaultClass() {
        return DSL.coalesce(ACCOUNT.FLAGS, "").like("%" + PRIMARY_CLASS + "%");
    }

    /**
     * An account that asks for a default class or holds one: the only ones whose default class can change. The
     * predicate of V021's partial index on PostgreSQL: change one, change the other.
     */
    private static Condition holdsOrWantsDefaultClass() {
        return ACCOUNT.PRIMARY_CLASS_ID.isNotNull().or(flaggedForDefaultClass());
    }

    /** Active class ids a user is a member of. */
    public List<String> memberships(String districtId, String userId) {
        return ctx.select(CLASSROOM_MEMBERSHIP.CLASS_ID).from(CLASSROOM_MEMBERSHIP)
                .where(CLASSROOM_MEMBERSHIP.DISTRICT_ID.eq(districtId), CLASSROOM_MEMBERSHIP.USER_ID.eq(userId),
                        CLASSROOM_MEMBERSHIP.ACTIVE.isTrue())
                .orderBy(CLASSROOM_MEMBERSHIP.CLASS_ID)
                .fetch(CLASSROOM_MEMBERSHIP.CLASS_ID);
    }
}
