package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_ENROLLMENT;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_JOURNAL;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
import static dev.homeroom.store.internal.jooq.Tables.COURSE;
import static dev.homeroom.store.internal.jooq.Tables.DATA_WARNING;
import static dev.homeroom.store.internal.jooq.Tables.OUTBOX;
import static dev.homeroom.store.internal.jooq.Tables.OUTCOME_HISTORY;
import static dev.homeroom.store.internal.jooq.Tables.RECORD_STATE;
import static dev.homeroom.store.internal.jooq.Tables.SCHOOL;
import static dev.homeroom.store.internal.jooq.Tables.SYNC_RUN;
import static dev.homeroom.store.internal.jooq.Tables.TERM;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jooq.Field;
import org.jooq.Table;

/**
 * What a store holds and what one run wrote, per table: for benchmarks and operators, never on a run's path.
 * "Written by a run" counts the rows whose run column names it (inserted or updated by that run).
 */
@API(status = API.Status.INTERNAL)
public final class StoreStats {
    /** The provisioned tables: what a host applies. */
    public static final List<String> PROVISIONED = List.of("account", "classroom", "classroom_membership", "term", "school", "course");

    private record Tracked(Table<?> table, Field<String> district, Field<String> run) {}

    private static final List<Tracked> TABLES = List.of(
            new Tracked(CLEVER_RECORD, CLEVER_RECORD.DISTRICT_ID, CLEVER_RECORD.CHANGED_RUN),
            new Tracked(CLEVER_ENROLLMENT, CLEVER_ENROLLMENT.DISTRICT_ID, null),
            new Tracked(CLEVER_JOURNAL, CLEVER_JOURNAL.DISTRICT_ID, CLEVER_JOURNAL.RUN_ID),
            new Tracked(RECORD_STATE, RECORD_STATE.DISTRICT_ID, RECORD_STATE.RUN_ID),
            new Tracked(OUTCOME_HISTORY, OUTCOME_HISTORY.DISTRICT_ID, OUTCOME_HISTORY.RUN_ID),
            new Tracked(DATA_WARNING, DATA_WARNING.DISTRICT_ID, DATA_WARNING.RUN_ID),
            new Tracked(OUTBOX, OUTBOX.DISTRICT_ID, OUTBOX.RUN_ID),
            new Tracked(SYNC_RUN, SYNC_RUN.DISTRICT_ID, SYNC_RUN.RUN_ID),
            new Tracked(ACCOUNT, ACCOUNT.DISTRICT_ID, ACCOUNT.UPDATED_RUN),
            new Tracked(CLASSROOM, CLASSROOM.DISTRICT_ID, CLASSROOM.UPDATED_RUN),
            new Tracked(CLASSROOM_MEMBERSHIP, CLASSROOM_MEMBERSHIP.DISTRICT_ID, CLASSROOM_MEMBERSHIP.UPDATED_RUN),
            new Tracked(TERM, TERM.DISTRICT_ID, TERM.UPDATED_RUN),
            new Tracked(SCHOOL, SCHOOL.DISTRICT_ID, SCHOOL.UPDATED_RUN),
            new Tracked(COURSE, COURSE.DISTRICT_ID, COURSE.UPDATED_RUN));

    private final Store store;

    public StoreStats(Store store) {
        this.store = store;
    }

    /** Rows per table for one district. */
    public Map<String, Long> rows(String districtId) {
        return store.read(s -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (Tracked t : TABLES) {
                out.put(t.table().getName(), (long) s.ctx().fetchCount(t.table(), t.district().eq(districtId)));
            }
            return out;
        });
    }

    /**
     * Rows per table that a run inserted or last updated (by each table's run column; the enrollments, which have none,
     * are left out). A later run that touches a row again takes it over, so measure right after the run.
     */
    public Map<String, Long> writtenBy(String districtId, String runId) {
        return store.read(s -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (Tracked t : TABLES) {
                if (t.run() != null) {
                    out.put(t.table().getName(), (long) s.ctx().fetchCount(t.table(), t.district().eq(districtId), t.run().eq(runId)));
                }
            }
            return out;
        });
    }

    /** The store's tables on PostgreSQL: those of the current schema. */
    private static final String POSTGRES_TABLES = " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = current_schema() and c.relkind = 'r'";

    /** Bytes the store's tables and indexes take on PostgreSQL (current schema); -1 on H2, whose size is its file's. */
    public long postgresBytes() {
        return store.read(s -> {
            if (s.vendor() != Vendor.POSTGRESQL) {
                return -1L;
            }
            return s.ctx().fetchOne("select coalesce(sum(pg_total_relation_size(c.oid)), 0)" + POSTGRES_TABLES).get(0, Long.class);
        });
    }

    /** Bytes per table on PostgreSQL (current schema; heap, TOAST and indexes), largest first; empty on H2. */
    public Map<String, Long> postgresBytesByTable() {
        return store.read(s -> {
            Map<String, Long> out = new LinkedHashMap<>();
            if (s.vendor() == Vendor.POSTGRESQL) {
                s.ctx().fetch("select c.relname, pg_total_relation_size(c.oid)" + POSTGRES_TABLES
                        + " and pg_total_relation_size(c.oid) > 8192 * 16 order by 2 desc")
                        .forEach(r -> out.put(r.get(0, String.class), r.get(1, Long.class)));
            }
            return out;
        });
    }
}
