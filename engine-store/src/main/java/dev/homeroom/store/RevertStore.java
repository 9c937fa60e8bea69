package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.DECIDE_AGAIN;
import static dev.homeroom.store.internal.jooq.Tables.OUTBOX;
import static dev.homeroom.store.internal.jooq.Tables.PLANNED_CHANGE;
import static dev.homeroom.store.internal.jooq.Tables.PROVISIONED_PRIOR;

import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.ContentHash;
import dev.homeroom.store.internal.TabText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import org.jooq.impl.DSL;

/**
 * What each run replaced, so a run can be undone: for every provisioned row (account, class, term, school, course,
 * membership) a run changed but did not create, the row as it was before (table {@code provisioned_prior}); and the
 * changes of a MANUAL plan with their stable ids (table {@code planned_change}). {@link #revert} restores a run's rows as
 * a new run; {@link #undo} takes back changes of the run in progress that a person did not approve.
 */
@API(status = API.Status.INTERNAL)
public final class RevertStore {
    /** The entity of a membership row in {@code provisioned_prior} and in change keys. */
    public static final String MEMBERSHIP = "membership";
    static final List<RecordKind> KINDS = List.of(RecordKind.SCHOOL, RecordKind.TERM, RecordKind.COURSE, RecordKind.USER,
            RecordKind.SECTION);
    /** Columns a prior row does not keep: its key, and what restoring sets itself. */
    private static final Set<String> NOT_KEPT = Set.of("district_id", "clever_id", "account_role", "active", "created_run", "updated_run");

    /** Change ids start with a letter for their entity: a for accounts, c classes, m memberships, t, s, k. */
    private static final Map<String, String> PREFIX = Map.of("user", "a", "section", "c", "term", "t", "school", "s",
            "course", "k", MEMBERSHIP, "m");

    private final DSLContext ctx;
    private final Vendor vendor;
    private final OutboxStore outbox;

    RevertStore(DSLContext ctx, Vendor vendor, OutboxStore outbox) {
        this.ctx = ctx;
        this.vendor = vendor;
        this.outbox = outbox;
    }

    /** A change a run made to one provisioned row: its stable id, what changed and how. */
    public record RowChange(String id, String entity, String key, ProvisionedChange change) {}

    /** A row a revert could not restore, and why. */
    public record NotRestored(String entity, String key, String reason) {}

    /**
     * What {@link #revert} did: per entity (kind label, or {@link #MEMBERSHIP}) the changes it made; the rows it could
     * not restore; the sections and users whose derived values may change.
     */
    public record Reverted(List<RowChange> changes, List<NotRestored> notRestored, Set<String> sections, Set<String> users) {}

    // ---- keeping what a run replaces (called as the run writes) ----

    /** Keeps a provisioned row as it is before the run changes it (reconcile calls this for every row it updates). */
    void keep(BulkWrites writes, String districtId, String runId, RecordKind kind, ProvisionedTable pt, Record old) {
        var p = PROVISIONED_PRIOR;
        writes.insert(p)
                .set(p.DISTRICT_ID, districtId)
                .set(p.RUN_ID, runId)
                .set(p.ENTITY, kind.label())
                .set(p.CLEVER_ID, old.get(pt.cleverId()))
                .set(p.USER_ID, "")
                .set(p.ROLE, pt.role() == null ? "" : pt.keyPart(old))
                .set(p.PRIOR_ACTIVE, Boolean.TRUE.equals(old.get(pt.active())))
                .set(p.PRIOR_UPDATED_RUN, old.get(pt.updatedRun()))
                .set(p.PRIOR_VALUES, encode(pt, old));
    }

    /** Keeps, in one statement, the memberships matching {@code which} as they are before the run updates them. */
    int keepMemberships(String districtId, String runId, Condition which) {
        var m = CLASSROOM_MEMBERSHIP;
        var p = PROVISIONED_PRIOR;
        return ctx.insertInto(p, p.DISTRICT_ID, p.RUN_ID, p.ENTITY, p.CLEVER_ID, p.USER_ID, p.ROLE, p.PRIOR_ACTIVE, p.PRIOR_UPDATED_RUN)
                .select(DSL.select(m.DISTRICT_ID, DSL.val(runId), DSL.val(MEMBERSHIP), m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE, m.UPDATED_RUN)
                        .from(m).where(m.DISTRICT_ID.eq(districtId), which))
                .execute();
    }

    /** The statement keeping one membership as it is before the run updates it (for a batch of single-row updates). */
    Query keepMembership(String districtId, String runId, String classId, String userId, String role, boolean active, String updatedRun) {
        var p = PROVISIONED_PRIOR;
        return ctx.insertInto(p, p.DISTRICT_ID, p.RUN_ID, p.ENTITY, p.CLEVER_ID, p.USER_ID, p.ROLE, p.PRIOR_ACTIVE, p.PRIOR_UPDATED_RUN)
                .values(districtId, runId, MEMBERSHIP, classId, userId, role, active, updatedRun);
    }

    private static String encode(ProvisionedTable pt, Record rec) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Field<?> f : pt.table().fields()) {
            if (!NOT_KEPT.contains(f.getName())) {
                Object v = rec.get(f);
                names.add(f.getName());
                values.add(v == null ? null : v.toString());
            }
        }
        return TabText.encode(List.of(names, values));
    }

    private static Map<Field<?>, Object> decode(ProvisionedTable pt, String text) {
        List<List<String>> rows = TabText.decode(text);
        Map<Field<?>, Object> out = new LinkedHashMap<>();
        if (rows.size() < 2) {
            return out;
        }
        for (int i = 0; i < rows.get(0).size(); i++) {
            Field<?> f = pt.table().field(rows.get(0).get(i));
            if (f != null) { // a column dropped since: nothing to restore
                out.put(f, f.getDataType().convert(rows.get(1).get(i)));
            }
        }
        return out;
    }

    // ---- the changes of a run ----

    /**
     * Every change this run made so far, read from the rows it wrote: provisioned rows whose {@code updated_run} is the
     * run (created when {@code created_run} is too, else as their kept prior row says) and memberships likewise. Each
     * change's id is a hash of the entity, key, change and new values, so the same change planned again has the same id.
     */
    public List<RowChange> changesOf(String districtId, String runId) {
        return changesOf(districtId, runId, Integer.MAX_VALUE);
    }

    /**
     * {@link #changesOf(String, String)}, or null when the run made more than {@code max} changes: a plan that large
     * (a first run of a large district) is approved whole, not listed change by change.
     */
    public List<RowChange> changesOf(String districtId, String runId, int max) {
        if (max < Integer.MAX_VALUE && countChanges(districtId, runId) > max) {
            return null;
        }
        // the rows the run kept are read apart and matched here: joined in SQL inside the run's transaction, the
        // planner (statistics saying the run changed nothing yet) read all the run's kept rows of a kind once per
        // changed row (2.2 s at 100,000 students; a MANUAL halt at 1,000,000 did not finish in 20 minutes)
        List<RowChange> out = new ArrayList<>();
        for (RecordKind kind : KINDS) {
            ProvisionedTable pt = ProvisionedTable.of(kind);
            Field<String> role = pt.keyPartField();
            Map<String, Boolean> prior = priorActive(districtId, runId, kind.label());
            try (var rows = ctx.select(pt.cleverId(), role, pt.active(), pt.hash(), pt.createdRun())
                    .from(pt.table())
                    .where(pt.district().eq(districtId), pt.updatedRun().eq(runId), pt.synced())
                    .fetchSize(10_000).fetchLazy()) {
                for (var r : rows) {
                    String key = pt.role() == null ? r.value1() : ProvisionedTable.key(r.value1(), r.value2());
                    boolean active = Boolean.TRUE.equals(r.value3());
                    ProvisionedChange change = !active ? ProvisionedChange.DEACTIVATED
                            : runId.equals(r.value5()) ? ProvisionedChange.CREATED
                            : Boolean.FALSE.equals(prior.get(priorKey(r.value1(), "", r.value2()))) ? ProvisionedChange.REACTIVATED
                            : ProvisionedChange.UPDATED;
                    out.add(change(kind.label(), key, change, r.value4()));
                }
            }
        }
        var m = CLASSROOM_MEMBERSHIP;
        Map<String, Boolean> prior = priorActive(districtId, runId, MEMBERSHIP);
        try (var rows = ctx.select(m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE)
                .from(m)
                .where(m.DISTRICT_ID.eq(districtId), m.UPDATED_RUN.eq(runId), m.MANUAL.isFalse())
                .fetchSize(10_000).fetchLazy()) {
            for (var r : rows) {
                boolean active = Boolean.TRUE.equals(r.value4());
                ProvisionedChange change = !active ? ProvisionedChange.DEACTIVATED
                        : prior.containsKey(priorKey(r.value1(), r.value2(), r.value3())) ? ProvisionedChange.REACTIVATED
                        : ProvisionedChange.CREATED;
                out.add(change(MEMBERSHIP, r.value1() + "/" + r.value2() + "/" + r.value3(), change, ""));
            }
        }
        return out;
    }

    /** The prior active flag of each row of this entity the run kept, by {@link #priorKey}: one range of the primary key. */
    private Map<String, Boolean> priorActive(String districtId, String runId, String entity) {
        var p = PROVISIONED_PRIOR;
        Map<String, Boolean> out = new HashMap<>();
        try (var rows = ctx.select(p.CLEVER_ID, p.USER_ID, p.ROLE, p.PRIOR_ACTIVE).from(p)
                .where(p.DISTRICT_ID.eq(districtId), p.RUN_ID.eq(runId), p.ENTITY.eq(entity))
                .fetchSize(10_000).fetchLazy()) {
            for (var r : rows) {
                out.put(priorKey(r.value1(), r.value2(), r.value3()), r.value4());
            }
        }
        return out;
    }

    private static String priorKey(String cleverId, String userId, String role) {
        return cleverId + '\u0000' + userId + '\u0000' + role;
    }

    private long countChanges(String districtId, String runId) {
        long n = 0;
        for (RecordKind kind : KINDS) {
            ProvisionedTable pt = ProvisionedTable.of(kind);
            n += ctx.fetchCount(pt.table(), pt.district().eq(districtId), pt.updatedRun().eq(runId), pt.synced());
        }
        return n + ctx.fetchCount(CLASSROOM_MEMBERSHIP, CLASSROOM_MEMBERSHIP.DISTRICT_ID.eq(districtId),
                CLASSROOM_MEMBERSHIP.UPDATED_RUN.eq(runId), CLASSROOM_MEMBERSHIP.MANUAL.isFalse());
    }

    private static RowChange change(String entity, String key, ProvisionedChange change, String valuesHash) {
        String values = change == ProvisionedChange.DEACTIVATED ? "" : valuesHash;
        String hex = String.format("%016x", ContentHash.longOf(entity + '|' + key + '|' + change + '|' + values));
        String id = PREFIX.getOrDefault(entity, "x") + "-" + hex.substring(0, 12);
        return new RowChange(id, entity, key, change);
    }

    /** Records the changes of a plan, so a person can list them and approve some ({@code planned_change}). */
    public void savePlan(String districtId, String runId, List<RowChange> changes) {
        savePlan(districtId, runId, changes, ch -> null);
    }

    /** {@link #savePlan}, with the rule and reason behind each change ({@code why} gives both, or null). */
    public void savePlan(String districtId, String runId, List<RowChange> changes, java.util.function.Function<RowChange, String[]> why) {
        BulkWrites writes = new BulkWrites(ctx, vendor);
        var c = PLANNED_CHANGE;
        Set<String> seen = new HashSet<>();
        for (RowChange ch : changes) {
            if (seen.add(ch.id())) {
                String[] rr = why.apply(ch);
                writes.insert(c).set(c.DISTRICT_ID, districtId).set(c.RUN_ID, runId).set(c.CHANGE_ID, ch.id())
                        .set(c.ENTITY, ch.entity()).set(c.RECORD_KEY, ch.key()).set(c.CHANGE, ch.change().name())
                        .set(c.RULE, rr == null ? null : clip(rr[0], 200)).set(c.REASON, rr == null ? null : clip(rr[1], 1000));
            }
        }
        writes.execute();
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** The changes a plan recorded, by entity and key. */
    public List<RowChange> plan(String districtId, String runId) {
        var c = PLANNED_CHANGE;
        return ctx.select(c.CHANGE_ID, c.ENTITY, c.RECORD_KEY, c.CHANGE).from(c)
                .where(c.DISTRICT_ID.eq(districtId), c.RUN_ID.eq(runId))
                .orderBy(c.ENTITY, c.RECORD_KEY)
                .fetch(r -> new RowChange(r.value1(), r.value2(), r.value3(), ProvisionedChange.valueOf(r.value4())));
    }

    // ---- taking back changes of the run in progress (a MANUAL plan approved in part) ----

    /**
     * Takes back these changes of the run in progress as if it had never made them: a row it created is removed (it
     * never existed outside this transaction), any other gets back its kept values, active flag and last run; their outbox
     * entries go too. Then memberships follow what stays: an activated membership whose class or user's accounts are not
     * active is taken back as well, and a membership's deactivation is kept when its class or accounts are not active.
     * Returns every change taken back (the given ones and those that followed).
     */
    public List<RowChange> undo(String districtId, String runId, Collection<RowChange> changes) {
        List<RowChange> undone = new ArrayList<>();
        List<RowChange> memberships = new ArrayList<>();
        BulkWrites writes = new BulkWrites(ctx, vendor);
        var p = PROVISIONED_PRIOR;
        for (RowChange c : changes) {
            if (c.entity().equals(MEMBERSHIP)) {
                memberships.add(c);
                continue;
            }
            RecordKind kind = Sql.kindOf(c.entity());
            ProvisionedTable pt = ProvisionedTable.of(kind);
            String id = pt.idOf(c.key());
            String role = pt.roleOf(c.key());
            Condition row = pt.keyCondition(districtId, id, role);
            if (c.change() == ProvisionedChange.CREATED) {
                writes.add(ctx.deleteFrom(pt.table()).where(row));
            } else {
                Record prior = ctx.selectFrom(p).where(p.DISTRICT_ID.eq(districtId), p.RUN_ID.eq(runId), p.ENTITY.eq(c.entity()),
                        p.CLEVER_ID.eq(id), p.USER_ID.eq(""), p.ROLE.eq(role == null ? "" : role)).fetchOne();
                if (prior == null) {
                    continue; // nothing kept: not a change of this run
                }
                Map<Field<?>, Object> values = decode(pt, prior.get(p.PRIOR_VALUES));
                values.put(pt.active(), prior.get(p.PRIOR_ACTIVE));
                values.put(pt.updatedRun(), prior.get(p.PRIOR_UPDATED_RUN));
                writes.add(ctx.update(pt.table()).set(values).where(row));
                writes.add(ctx.deleteFrom(p).where(p.DISTRICT_ID.eq(districtId), p.RUN_ID.eq(runId), p.ENTITY.eq(c.entity()),
                        p.CLEVER_ID.eq(id), p.USER_ID.eq(""), p.ROLE.eq(role == null ? "" : role)));
            }
            writes.add(ctx.deleteFrom(OUTBOX).where(OUTBOX.DISTRICT_ID.eq(districtId), OUTBOX.RUN_ID.eq(runId),
                    OUTBOX.ENTITY.eq(c.entity()), OUTBOX.CLEVER_ID.eq(c.key())));
            undone.add(c);
        }
        writes.execute();
        // a deactivation that follows the class or accounts that stay deactivated is not taken back
        for (RowChange c : memberships) {
            String[] k = c.key().split("/", 3);
            if (c.change() == ProvisionedChange.DEACTIVATED && !classAndAccountActive(districtId, k[0], k[1])) {
                continue;
            }
            undoMembership(writes, districtId, runId, k);
            undone.add(c);
        }
        writes.execute();
        // an activation whose class or accounts no longer are active goes back with them
        Set<String> taken = new HashSet<>();
        undone.forEach(c -> taken.add(c.id()));
        for (RowChange c : changesOf(districtId, runId)) {
            if (c.entity().equals(MEMBERSHIP) && c.change() != ProvisionedChange.DEACTIVATED && !taken.contains(c.id())) {
                String[] k = c.key().split("/", 3);
                if (!classAndAccountActive(districtId, k[0], k[1])) {
                    undoMembership(writes, districtId, runId, k);
                    undone.add(c);
                }
            }
        }
        writes.execute();
        decideAgain(districtId, undone);
        reopenGone(districtId, undone.stream().filter(c -> c.change() == ProvisionedChange.DEACTIVATED).toList());
        return undone;
    }

    /**
     * Records whose deactivation was taken back, though Clever no longer shares them: the shadow holds them as present
     * again, so the next full fetch finds them gone and decides them again (a gone record is decided only in the run it
     * went away in, and would otherwise stay active for good).
     */
    private void reopenGone(String districtId, List<RowChange> reactivated) {
        var r = dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
        List<Query> updates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (RowChange c : reactivated) {
            if (c.entity().equals(MEMBERSHIP)) {
                continue;
            }
            int slash = c.key().indexOf('/');
            String id = slash < 0 ? c.key() : c.key().substring(0, slash);
            if (seen.add(c.entity() + '/' + id)) {
                updates.add(ctx.update(r).set(r.GONE_RUN, (String) null)
                        .where(r.DISTRICT_ID.eq(districtId), r.KIND.eq(c.entity()), r.CLEVER_ID.eq(id), r.GONE_RUN.isNotNull()));
            }
        }
        if (!updates.isEmpty()) {
            ctx.batch(updates).execute();
        }
    }

    /** The records of changes taken back are decided again by the next run, so an incremental plan shows them too. */
    private void decideAgain(String districtId, List<RowChange> undone) {
        var d = DECIDE_AGAIN;
        Map<String, Set<String>> byKind = new LinkedHashMap<>();
        for (RowChange c : undone) {
            if (c.entity().equals(MEMBERSHIP)) {
                String[] k = c.key().split("/", 3);
                byKind.computeIfAbsent(RecordKind.SECTION.label(), x -> new HashSet<>()).add(k[0]);
                byKind.computeIfAbsent(RecordKind.USER.label(), x -> new HashSet<>()).add(k[1]);
            } else if (SelfCourses.studentOf(c.key()) != null && c.entity().equals(RecordKind.COURSE.label())) {
                // a self-generated course (P13) follows its student: the student is decided again
                byKind.computeIfAbsent(RecordKind.USER.label(), x -> new HashSet<>()).add(SelfCourses.studentOf(c.key()));
            } else {
                int slash = c.key().indexOf('/');
                byKind.computeIfAbsent(c.entity(), x -> new HashSet<>()).add(slash < 0 ? c.key() : c.key().substring(0, slash));
            }
        }
        BulkWrites writes = new BulkWrites(ctx, vendor);
        for (var e : byKind.entrySet()) {
            Set<String> missing = new HashSet<>(e.getValue());
            for (List<String> chunk : Sql.chunks(List.copyOf(e.getValue()))) {
                ctx.select(d.CLEVER_ID).from(Sql.joinIds(d, d.CLEVER_ID, chunk)).where(d.DISTRICT_ID.eq(districtId), d.KIND.eq(e.getKey()))
                        .forEach(r -> missing.remove(r.value1()));
            }
            missing.forEach(id -> writes.insert(d).set(d.DISTRICT_ID, districtId).set(d.KIND, e.getKey()).set(d.CLEVER_ID, id));
        }
        writes.execute();
    }

    private void undoMembership(BulkWrites writes, String districtId, String runId, String[] key) {
        var m = CLASSROOM_MEMBERSHIP;
        var p = PROVISIONED_PRIOR;
        Condition row = m.DISTRICT_ID.eq(districtId).and(m.CLASS_ID.eq(key[0])).and(m.USER_ID.eq(key[1])).and(m.ROLE.eq(key[2]));
        Condition prior = p.DISTRICT_ID.eq(districtId).and(p.RUN_ID.eq(runId)).and(p.ENTITY.eq(MEMBERSHIP))
                .and(p.CLEVER_ID.eq(key[0])).and(p.USER_ID.eq(key[1])).and(p.ROLE.eq(key[2]));
        var kept = ctx.select(p.PRIOR_ACTIVE, p.PRIOR_UPDATED_RUN).from(p).where(prior).fetchOne();
        if (kept == null) {
            writes.add(ctx.deleteFrom(m).where(row));
        } else {
            writes.add(ctx.update(m).set(m.ACTIVE, kept.value1()).set(m.UPDATED_RUN, kept.value2()).where(row));
            writes.add(ctx.deleteFrom(p).where(prior));
        }
    }

    private boolean classAndAccountActive(String districtId, String classId, String userId) {
        // the account that holds the membership: the user's, or under P14 PER_SCHOOL_ACCOUNTS the one at the class's school
        return ctx.fetchExists(CLASSROOM, CLASSROOM.DISTRICT_ID.eq(districtId), CLASSROOM.CLEVER_ID.eq(classId), CLASSROOM.ACTIVE.isTrue())
                && ctx.fetchExists(ACCOUNT, ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(userId), ACCOUNT.ACTIVE.isTrue(),
                        ACCOUNT.ACCOUNT_SCHOOL.eq("").or(ACCOUNT.ACCOUNT_SCHOOL.in(DSL.select(CLASSROOM.SCHOOL_ID).from(CLASSROOM)
                                .where(CLASSROOM.DISTRICT_ID.eq(districtId), CLASSROOM.CLEVER_ID.eq(classId)))));
    }

    /**
     * The revert run that last wrote a provisioned row of this record (no later run changed it since), for
     * {@code explain}; empty when none did.
     */
    public java.util.Optional<String> lastRevertOf(String districtId, RecordKind kind, String cleverId) {
        var r = dev.homeroom.store.internal.jooq.Tables.SYNC_RUN;
        ProvisionedTable pt = ProvisionedTable.of(kind);
        return ctx.select(r.RUN_ID).from(pt.table()).join(r).on(r.RUN_ID.eq(pt.updatedRun()))
                .where(pt.district().eq(districtId), pt.cleverId().eq(cleverId), r.MODE.eq("revert"))
                .orderBy(r.STARTED_AT.desc()).limit(1)
                .fetchOptional(r.RUN_ID);
    }

    // ---- reverting a run that was applied ----

    /**
     * Restores, as run {@code revertRun}, every provisioned row and membership run {@code target} changed: a row it
     * created is deactivated (nothing is deleted), any other gets back its kept values and active flag. A row a later run
     * changed again is left as it is and reported, as is a row the store kept nothing for. What the revert replaces is
     * kept in turn (a revert can be reverted), and each restored row goes to the outbox.
     */
    public Reverted revert(String districtId, String target, String revertRun) {
        List<RowChange> changes = new ArrayList<>();
        List<NotRestored> notRestored = new ArrayList<>();
        Set<String> sections = new HashSet<>();
        Set<String> users = new HashSet<>();
        var p = PROVISIONED_PRIOR;
        for (RecordKind kind : KINDS) {
            ProvisionedTable pt = ProvisionedTable.of(kind);
            Field<String> role = pt.keyPartField();
            Condition joined = p.DISTRICT_ID.eq(pt.district()).and(p.RUN_ID.eq(target)).and(p.ENTITY.eq(kind.label()))
                    .and(p.CLEVER_ID.eq(pt.cleverId())).and(p.USER_ID.eq("")).and(p.ROLE.eq(role));
            // changed again since: the later run's values stay
            ctx.select(pt.cleverId(), role, pt.updatedRun()).from(pt.table()).join(p).on(joined)
                    .where(pt.district().eq(districtId), pt.updatedRun().ne(target), pt.synced())
                    .forEach(r -> notRestored.add(new NotRestored(kind.label(), key(pt, r.value1(), r.value2()),
                            "changed again by run " + r.value3() + " after run " + target)));
            ctx.select(pt.cleverId(), role, pt.updatedRun()).from(pt.table())
                    .where(pt.district().eq(districtId), pt.createdRun().eq(target), pt.updatedRun().ne(target), pt.synced())
                    .forEach(r -> notRestored.add(new NotRestored(kind.label(), key(pt, r.value1(), r.value2()),
                            "created by run " + target + " and changed again by run " + r.value3())));
            BulkWrites writes = new BulkWrites(ctx, vendor);
            List<Record> rows = new ArrayList<>();
            try (var cursor = ctx.select(pt.table().fields()).select(p.PRIOR_ACTIVE, p.PRIOR_VALUES)
                    .from(pt.table()).leftJoin(p).on(joined)
                    .where(pt.district().eq(districtId), pt.updatedRun().eq(target), pt.synced()) // never a host's manual row
                    .fetchSize(5_000).fetchLazy()) {
                for (Record r : cursor) {
                    rows.add(r);
                    if (rows.size() == 5_000) {
                        restore(writes, districtId, target, revertRun, kind, pt, rows, changes, notRestored, sections, users);
                    }
                }
            }
            restore(writes, districtId, target, revertRun, kind, pt, rows, changes, notRestored, sections, users);
        }
        revertMemberships(districtId, target, revertRun, changes, notRestored, sections, users);
        reopenGone(districtId, changes.stream().filter(c -> c.change() == ProvisionedChange.REACTIVATED).toList());
        return new Reverted(changes, notRestored, sections, users);
    }

    private static String key(ProvisionedTable pt, String id, String role) {
        return pt.role() == null ? id : ProvisionedTable.key(id, role);
    }

    private void restore(BulkWrites writes, String districtId, String target, String revertRun, RecordKind kind, ProvisionedTable pt,
                         List<Record> rows, List<RowChange> changes, List<NotRestored> notRestored, Set<String> sections,
                         Set<String> users) {
        var p = PROVISIONED_PRIOR;
        for (Record r : rows) {
            String id = r.get(pt.cleverId());
            String role = pt.keyPart(r);
            String key = key(pt, id, role);
            boolean active = Boolean.TRUE.equals(r.get(pt.active()));
            Boolean priorActive = r.get(p.PRIOR_ACTIVE);
            Map<Field<?>, Object> values;
            boolean becomesActive;
            if (priorActive != null) {
                values = decode(pt, r.get(p.PRIOR_VALUES));
                becomesActive = priorActive;
            } else if (target.equals(r.get(pt.createdRun()))) {
                values = new LinkedHashMap<>();
                becomesActive = false;
                if (!active) {
                    continue; // created and deactivated in the same run: nothing to take back
                }
            } else {
                notRestored.add(new NotRestored(kind.label(), key, "the store kept no prior values for it (run " + target
                        + " was made by a version that did not keep them)"));
                continue;
            }
            keep(writes, districtId, revertRun, kind, pt, r);
            values.put(pt.active(), becomesActive);
            values.put(pt.updatedRun(), revertRun);
            writes.add(ctx.update(pt.table()).set(values).where(pt.keyCondition(districtId, id, role)));
            ProvisionedChange change = active == becomesActive ? ProvisionedChange.UPDATED
                    : becomesActive ? ProvisionedChange.REACTIVATED : ProvisionedChange.DEACTIVATED;
            outbox.add(writes, districtId, revertRun, kind, key, change);
            changes.add(change(kind.label(), key, change, String.valueOf(values.get(pt.hash()))));
            if (kind == RecordKind.SECTION) {
                sections.add(id);
            } else if (kind == RecordKind.USER) {
                users.add(id);
            }
        }
        writes.execute();
        rows.clear();
    }

    private void revertMemberships(String districtId, String target, String revertRun, List<RowChange> changes,
                                   List<NotRestored> notRestored, Set<String> sections, Set<String> users) {
        var m = CLASSROOM_MEMBERSHIP;
        var p = PROVISIONED_PRIOR;
        Condition joined = p.DISTRICT_ID.eq(m.DISTRICT_ID).and(p.RUN_ID.eq(target)).and(p.ENTITY.eq(MEMBERSHIP))
                .and(p.CLEVER_ID.eq(m.CLASS_ID)).and(p.USER_ID.eq(m.USER_ID)).and(p.ROLE.eq(m.ROLE));
        ctx.select(m.CLASS_ID, m.USER_ID, m.ROLE, m.UPDATED_RUN).from(m).join(p).on(joined)
                .where(m.DISTRICT_ID.eq(districtId), m.UPDATED_RUN.ne(target), m.MANUAL.isFalse())
                .forEach(r -> notRestored.add(new NotRestored(MEMBERSHIP, r.value1() + "/" + r.value2() + "/" + r.value3(),
                        "changed again by run " + r.value4() + " after run " + target)));
        // what the revert changes: every membership the target run wrote last; with a kept row it goes back to it, without
        // one the target created it and it is deactivated
        // a host's manual memberships are not the run's to restore: they follow their class and accounts (ManualStore)
        Condition changedByTarget = m.UPDATED_RUN.eq(target).and(m.MANUAL.isFalse());
        Field<Boolean> priorActive = DSL.field(DSL.select(p.PRIOR_ACTIVE).from(p).where(joined));
        try (var rows = ctx.select(m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE, DSL.coalesce(priorActive, DSL.inline(false)))
                .from(m).where(m.DISTRICT_ID.eq(districtId), changedByTarget).fetchSize(10_000).fetchLazy()) {
            for (var r : rows) {
                boolean now = Boolean.TRUE.equals(r.value4());
                boolean then = Boolean.TRUE.equals(r.value5());
                if (now == then) {
                    continue;
                }
                changes.add(change(MEMBERSHIP, r.value1() + "/" + r.value2() + "/" + r.value3(),
                        then ? ProvisionedChange.REACTIVATED : ProvisionedChange.DEACTIVATED, ""));
                sections.add(r.value1());
                users.add(r.value2());
            }
        }
        keepMemberships(districtId, revertRun, changedByTarget);
        ctx.update(m).set(m.ACTIVE, DSL.coalesce(priorActive, DSL.inline(false))).set(m.UPDATED_RUN, revertRun)
                .where(m.DISTRICT_ID.eq(districtId), changedByTarget).execute();
    }
}
