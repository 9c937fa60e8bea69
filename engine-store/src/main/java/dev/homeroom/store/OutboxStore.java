package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.OUTBOX;
import static dev.homeroom.store.internal.jooq.Tables.SYNC_RUN;

import dev.homeroom.spi.RecordKind;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The outbox: one entry per change a run made to provisioned rows and memberships, written in the same transaction, consumed by the
 * host at least once ({@link #pending}, then {@link #acknowledge} after the host's own commit, which removes them: the
 * outbox holds only what is still to be consumed). Table: {@code outbox}.
 */
@API(status = API.Status.INTERNAL)
public final class OutboxStore {
    /** The entity of a membership's entries. */
    public static final String MEMBERSHIP = "membership";
    /** Runs whose first entries below a sequence number are known to be gone: more than this many, and they are forgotten. */
    private static final int MAX_MARKS = 10_000;
    private final DSLContext ctx;
    private final Vendor vendor;
    private final Map<String, Integer> outboxSeq = new HashMap<>();
    private final Map<String, Integer> drainedBelow;

    /**
     * {@code drainedBelow}, shared by the store's sessions: per run ("district\nrun"), a sequence number below which it
     * has no entry left. A run's entries are all written in its own transaction, so once it is committed they can only
     * be acknowledged, never added: a mark stays true for good, and forgetting one is always safe.
     */
    OutboxStore(DSLContext ctx, Vendor vendor, Map<String, Integer> drainedBelow) {
        this.ctx = ctx;
        this.vendor = vendor;
        this.drainedBelow = drainedBelow;
    }

    void add(BulkWrites writes, String districtId, String runId, RecordKind kind, String key, ProvisionedChange change) {
        add(writes, districtId, runId, kind, key, change.name());
    }

    /** One membership's entry (key {@code CLASS_ID/USER_ID/ROLE}), for the memberships a host made (ManualStore). */
    void addMembership(BulkWrites writes, String districtId, String runId, String key, ProvisionedChange change) {
        add(writes, districtId, runId, MEMBERSHIP, key, change.name());
    }

    void add(BulkWrites writes, String districtId, String runId, RecordKind kind, String key, String change) {
        add(writes, districtId, runId, kind.label(), key, change);
    }

    /** An outbox entry with a change of its own name (REISSUED: an account moved to the id Clever reissued it under). */
    private void add(BulkWrites writes, String districtId, String runId, String entity, String key, String change) {
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
                .set(OUTBOX.ENTITY, entity)
                .set(OUTBOX.CLEVER_ID, key)
                .set(OUTBOX.CHANGE, change)
                .set(OUTBOX.CREATED_AT, LocalDateTime.now(java.time.ZoneOffset.UTC));
    }

    /**
     * One entry per membership the run changed (entity {@value #MEMBERSHIP}, key {@code CLASS_ID/USER_ID/ROLE}), written by
     * one INSERT … SELECT over the memberships the run last changed: CREATED when the run created it, DEACTIVATED when it
     * is inactive, REACTIVATED otherwise. Called once per run, after its memberships are in place; returns how many.
     */
    int addMembershipChanges(String districtId, String runId) {
        var m = CLASSROOM_MEMBERSHIP;
        Integer stored = ctx.select(DSL.max(OUTBOX.SEQ)).from(OUTBOX).where(OUTBOX.DISTRICT_ID.eq(districtId), OUTBOX.RUN_ID.eq(runId))
                .fetchOne(0, Integer.class);
        int base = Math.max(stored == null ? 0 : stored, outboxSeq.getOrDefault(runId, 0));
        Field<String> change = DSL.when(m.ACTIVE.isFalse(), DSL.inline(ProvisionedChange.DEACTIVATED.name()))
                .when(m.CREATED_RUN.eq(runId), DSL.inline(ProvisionedChange.CREATED.name()))
                .otherwise(DSL.inline(ProvisionedChange.REACTIVATED.name()));
        int added = ctx.insertInto(OUTBOX, OUTBOX.DISTRICT_ID, OUTBOX.RUN_ID, OUTBOX.SEQ, OUTBOX.ENTITY, OUTBOX.CLEVER_ID, OUTBOX.CHANGE,
                        OUTBOX.CREATED_AT)
                .select(DSL.select(m.DISTRICT_ID, DSL.val(runId),
                                DSL.rowNumber().over(DSL.orderBy(m.CLASS_ID, m.USER_ID, m.ROLE)).plus(base),
                                DSL.inline(MEMBERSHIP), DSL.concat(m.CLASS_ID, DSL.inline("/"), m.USER_ID, DSL.inline("/"), m.ROLE), change,
                                DSL.val(LocalDateTime.now(java.time.ZoneOffset.UTC)))
                        .from(m)
                        .where(m.DISTRICT_ID.eq(districtId), m.UPDATED_RUN.eq(runId), m.MANUAL.isFalse())) // manual: ManualStore
                .execute();
        outboxSeq.put(runId, base + added);
        return added;
    }

    /**
     * Changes no host has acknowledged yet, oldest first (by run start, then the order the run made them). The outbox
     * holds only those, so this reads the runs that have any by skipping along the primary key (one probe a run), and
     * then the first {@code limit} entries of the oldest runs in key order: never the whole outbox, which a large
     * district's first sync fills with millions of entries.
     */
    public List<OutboxRow> pending(int limit) {
        List<OutboxRow> out = new ArrayList<>();
        for (PendingRun run : pendingRuns()) {
            if (out.size() >= limit) {
                break;
            }
            // from the run's mark on: the entries a host acknowledged are dead in the key until the database cleans them
            // up, and a read from the run's first key steps over all of them (draining a 1M district's 3.2 million
            // entries, each page a little slower than the one before)
            String mark = mark(run.districtId(), run.runId());
            List<OutboxRow> entries = ctx.select(OUTBOX.DISTRICT_ID, OUTBOX.RUN_ID, OUTBOX.SEQ, OUTBOX.ENTITY, OUTBOX.CLEVER_ID,
                            OUTBOX.CHANGE, OUTBOX.CREATED_AT)
                    .from(OUTBOX)
                    .where(OUTBOX.DISTRICT_ID.eq(run.districtId()), OUTBOX.RUN_ID.eq(run.runId()),
                            OUTBOX.SEQ.ge(drainedBelow.getOrDefault(mark, 0)))
                    .orderBy(OUTBOX.DISTRICT_ID, OUTBOX.RUN_ID, OUTBOX.SEQ) // the key's whole order: see pendingRuns
                    .limit(limit - out.size())
                    .fetch(x -> new OutboxRow(x.value1(), x.value2(), x.value3(), x.value4(), x.value5(), x.value6(), x.value7()));
            if (!entries.isEmpty()) {
                if (drainedBelow.size() >= MAX_MARKS) {
                    drainedBelow.clear();
                }
                drainedBelow.merge(mark, entries.get(0).seq(), Math::max); // nothing of the run is left below its first entry
            }
            out.addAll(entries);
        }
        return out;
    }

    /** The runs with entries in the outbox, oldest first; entries of a run the store no longer lists are not offered. */
    private List<PendingRun> pendingRuns() {
        List<PendingRun> keys = new ArrayList<>();
        var next = firstRun();
        while (next != null) {
            String district = next.value1();
            String run = next.value2();
            keys.add(new PendingRun(district, run, null));
            next = runAfter(district, run);
        }
        Map<String, LocalDateTime> started = new HashMap<>();
        for (List<PendingRun> chunk : Sql.chunks(keys)) {
            ctx.select(SYNC_RUN.RUN_ID, SYNC_RUN.STARTED_AT).from(SYNC_RUN)
                    .where(SYNC_RUN.RUN_ID.in(chunk.stream().map(PendingRun::runId).toList()))
                    .forEach(x -> started.put(x.value1(), x.value2()));
        }
        return keys.stream()
                .filter(k -> started.containsKey(k.runId()))
                .map(k -> new PendingRun(k.districtId(), k.runId(), started.get(k.runId())))
                .sorted(Comparator.comparing(PendingRun::startedAt).thenComparing(PendingRun::runId))
                .toList();
    }

    /**
     * The first (district, run) in the outbox's key with an entry left. From the head of the key, PostgreSQL steps
     * over every entry acknowledged and not yet vacuumed away: a host draining a large run's millions of entries walked
     * all it had acknowledged again for each page (46 ms a probe by the end of a 1M district's 3.2 million). So on
     * PostgreSQL the probe starts at the lowest run with a mark: the districts below it, the district's runs below it,
     * the run from its mark on, then the key after it, each a probe that stops where its bound ends. (Not as a row
     * comparison: PostgreSQL 15 bounds a scan by the first column of {@code (district_id, run_id) < (?, ?)} only, and
     * read every entry of the district, 369 ms a probe.) H2 removes what a committed transaction deleted, and reads
     * from the head.
     */
    private org.jooq.Record2<String, String> firstRun() {
        String[] lowest = vendor == Vendor.POSTGRESQL ? drainedBelow.keySet().stream().map(k -> k.split("\n", 2))
                .min(Comparator.<String[], String>comparing(k -> k[0]).thenComparing(k -> k[1])).orElse(null) : null;
        if (lowest == null) {
            return firstRunWhere(DSL.trueCondition());
        }
        String district = lowest[0];
        String run = lowest[1];
        // runs committed since under a lower key first, then the marked run, then what follows it
        var first = firstRunWhere(OUTBOX.DISTRICT_ID.lt(district));
        if (first == null) {
            first = firstRunWhere(OUTBOX.DISTRICT_ID.eq(district), OUTBOX.RUN_ID.lt(run));
        }
        if (first == null) {
            first = firstRunWhere(OUTBOX.DISTRICT_ID.eq(district), OUTBOX.RUN_ID.eq(run),
                    OUTBOX.SEQ.ge(drainedBelow.getOrDefault(mark(district, run), 0)));
        }
        return first != null ? first : runAfter(district, run);
    }

    /** The run after this one in the outbox's key: the district's next run, else the next district's first. */
    private org.jooq.Record2<String, String> runAfter(String district, String run) {
        var next = firstRunWhere(OUTBOX.DISTRICT_ID.eq(district), after(OUTBOX.RUN_ID, run));
        return next != null ? next : firstRunWhere(after(OUTBOX.DISTRICT_ID, district));
    }

    /**
     * The first (district, run) of the outbox's key that has an entry meeting these conditions. The ORDER BY names the
     * key's columns from its first: H2 reads the rows in index order, and stops at the limit, only then (ordered by
     * run_id alone it read and sorted the district's every entry: 0.9 s a page at 100k).
     */
    private org.jooq.Record2<String, String> firstRunWhere(Condition... conditions) {
        return ctx.select(OUTBOX.DISTRICT_ID, OUTBOX.RUN_ID).from(OUTBOX).where(conditions)
                .orderBy(OUTBOX.DISTRICT_ID, OUTBOX.RUN_ID).limit(1).fetchOne();
    }

    /**
     * {@code column > value}. On H2 written {@code column >= value + NUL}, the same in H2's order of strings (Java's):
     * H2 starts reading its index at the value of a {@code >} and steps over every row equal to it, here every entry
     * of the run or district just probed (a 100k H2 drain spent 19.5 s, nearly all of it there).
     */
    private Condition after(Field<String> column, String value) {
        return vendor == Vendor.H2 ? column.ge(value + '\0') : column.gt(value);
    }

    /** The key of a run's mark in {@code drainedBelow} (split again by {@link #firstRun}). */
    private static String mark(String districtId, String runId) {
        return districtId + "\n" + runId;
    }

    private record PendingRun(String districtId, String runId, LocalDateTime startedAt) {}

    /** Removes changes a host has consumed, so they are not offered again; returns how many were still pending. */
    public int acknowledge(List<OutboxRow> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        var ack = ctx.batch(ctx.deleteFrom(OUTBOX)
                .where(OUTBOX.DISTRICT_ID.eq((String) null), OUTBOX.RUN_ID.eq((String) null), OUTBOX.SEQ.eq((Integer) null)));
        rows.forEach(r -> ack.bind(r.districtId(), r.runId(), r.seq()));
        int n = 0;
        for (int c : ack.execute()) {
            n += Math.max(c, 0);
        }
        return n;
    }

    public int count(String districtId, String runId) {
        return ctx.fetchCount(OUTBOX, OUTBOX.DISTRICT_ID.eq(districtId), OUTBOX.RUN_ID.eq(runId));
    }
}
