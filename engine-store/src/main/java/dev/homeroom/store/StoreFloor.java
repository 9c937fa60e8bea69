package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
import static dev.homeroom.store.internal.jooq.Tables.COURSE;
import static dev.homeroom.store.internal.jooq.Tables.SCHOOL;
import static dev.homeroom.store.internal.jooq.Tables.TERM;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;

/**
 * The write floor of a sync, for benchmarks: the rows no sync can avoid (one shadow row per Clever record and the
 * provisioned accounts, classes, memberships, terms, schools and courses) copied from a synced store into an empty one
 * by the database's fastest bulk path (COPY on PostgreSQL, prepared batches on H2), in one transaction. Only the writes
 * and the commit are timed; reading the source is not.
 */
@API(status = API.Status.INTERNAL)
public final class StoreFloor {
    private static final int CHUNK = 10_000;
    private static final List<Table<?>> UNAVOIDABLE = List.of(CLEVER_RECORD, ACCOUNT, CLASSROOM, CLASSROOM_MEMBERSHIP, TERM, SCHOOL, COURSE);

    /** Rows written per table and the nanoseconds the writes and the commit took. */
    public record Result(Map<String, Long> rows, long nanos) {}

    private StoreFloor() {}

    public static Result copy(Store source, Store target, String districtId) {
        Map<String, Long> rows = new LinkedHashMap<>();
        long[] nanos = {0};
        long[] commitStart = {0};
        target.transaction(t -> {
            BulkWrites writes = new BulkWrites(t.ctx(), t.vendor());
            for (Table<?> table : UNAVOIDABLE) {
                List<Field<?>> columns = Arrays.asList(table.fields());
                @SuppressWarnings("unchecked")
                TableField<Record, String> district = (TableField<Record, String>) table.field("district_id");
                long[] count = {0};
                source.transaction(s -> { // in a transaction, so that PostgreSQL streams the rows (fetchSize) instead of holding them all
                    List<Object[]> chunk = new ArrayList<>(CHUNK);
                    try (var cursor = s.ctx().selectFrom(table).where(district.eq(districtId)).fetchSize(CHUNK).fetchLazy()) {
                        for (Record r : cursor) {
                            chunk.add(r.intoArray());
                            if (chunk.size() == CHUNK) {
                                nanos[0] += timed(() -> writes.insertRows(table, columns, chunk));
                                count[0] += chunk.size();
                                chunk.clear();
                            }
                        }
                    }
                    nanos[0] += timed(() -> writes.insertRows(table, columns, chunk));
                    count[0] += chunk.size();
                    return null;
                });
                rows.put(table.getName(), count[0]);
            }
            commitStart[0] = System.nanoTime();
            return null;
        });
        nanos[0] += System.nanoTime() - commitStart[0];
        return new Result(rows, nanos[0]);
    }

    private static long timed(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return System.nanoTime() - t0;
    }
}
