package dev.homeroom.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Keeps PostgreSQL's planner statistics true to the tables a run's transaction fills. Tables written in the same
 * transaction still look as they were to the planner (empty, on a first run), and plans made on that went quadratic
 * (a nested loop for "1 row": 285 s deciding 100k students instead of seconds). {@code ANALYZE} costs about a second a
 * table at 100k students, so a table is analysed again only when this transaction has inserted, updated or deleted a
 * fifth of its rows (and at least {@value #MIN_CHANGES}) since the planner last counted them: a run that changes little
 * analyses nothing. The counts are the current transaction's own (those {@code pg_stat_xact_user_tables} shows). H2 plans
 * without statistics: nothing to do.
 */
final class PlannerStatistics {
    static final int MIN_CHANGES = 1_000;
    private static final double SHARE = 0.2;

    private final DSLContext ctx;
    private final Vendor vendor;
    /** Per table: this transaction's changes when it was last analysed here (absent: never in this transaction). */
    private final Map<String, Long> changesAtAnalyze = new HashMap<>();

    PlannerStatistics(DSLContext ctx, Vendor vendor) {
        this.ctx = ctx;
        this.vendor = vendor;
    }

    /** Analyses those of these tables that changed by more than their share since the planner last counted them. */
    void refresh(Table<?>... tables) {
        if (vendor != Vendor.POSTGRESQL) {
            return;
        }
        List<String> names = java.util.Arrays.stream(tables).map(Table::getName).toList();
        Map<String, long[]> now = new HashMap<>();
        // the functions behind pg_stat_xact_user_tables, for these tables only: the view computes every table of the
        // database (110 ms a call in a database of 46,000 relations, 45 calls in one incremental run; 1 ms this way)
        ctx.resultQuery("select c.relname, pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)"
                        + " + pg_stat_get_xact_tuples_deleted(c.oid), greatest(c.reltuples, 0)::bigint"
                        + " from pg_class c where c.oid = any (select to_regclass(n) from unnest({0}::text[]) as n)",
                        DSL.val(names.toArray(String[]::new)))
                .forEach(r -> now.put(r.get(0, String.class), new long[] {r.get(1, Long.class), r.get(2, Long.class)}));
        for (String table : names) {
            long[] n = now.get(table);
            if (n == null) {
                continue;
            }
            long changed = n[0] - changesAtAnalyze.getOrDefault(table, 0L);
            if (changed >= MIN_CHANGES && changed >= SHARE * n[1]) {
                ctx.execute("analyze " + table);
                changesAtAnalyze.put(table, n[0]);
            }
        }
    }
}
