package dev.homeroom.store;

import dev.homeroom.store.internal.PostgresCopy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Table;

/**
 * The writes of one step. Inserts are grouped by table and columns; a large group goes by {@code COPY} on PostgreSQL
 * and every other group as one prepared batch (PostgreSQL's {@code reWriteBatchedInserts} then sends multi-row
 * inserts). Every other statement follows in the order it was added, runs of one shape as one prepared batch. A first run is mostly inserts, so this is where its time goes.
 */
final class BulkWrites {
    /** Below this many rows a prepared batch is as fast as COPY. */
    private static final int COPY_FROM = 200;

    private final DSLContext ctx;
    private final Vendor vendor;
    private final List<InsertRow> inserts = new ArrayList<>();
    private final List<Query> others = new ArrayList<>();

    BulkWrites(DSLContext ctx, Vendor vendor) {
        this.ctx = ctx;
        this.vendor = vendor;
    }

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

    boolean isEmpty() {
        return inserts.isEmpty() && others.isEmpty();
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
                List<Object[]> rows = new ArrayList<>(byColumns.getValue().size());
                for (InsertRow row : byColumns.getValue()) {
                    rows.add(columns.stream().map(row.values()::get).toArray());
                }
                insertRows(byTable.getKey(), columns, rows);
            }
        }
        // consecutive statements of one shape (an update per changed row) go as one prepared statement, bound once a row:
        // a batch of distinct statements sends each as text, and PostgreSQL parses and plans every one of them
        int i = 0;
        while (i < others.size()) {
            String sql = ctx.render(others.get(i));
            int j = i + 1;
            while (j < others.size() && ctx.render(others.get(j)).equals(sql)) {
                j++;
            }
            if (j - i == 1) {
                others.get(i).execute();
            } else {
                var batch = ctx.batch(others.get(i));
                for (Query q : others.subList(i, j)) {
                    batch = batch.bind(q.getBindValues().toArray());
                }
                batch.execute();
            }
            i = j;
        }
        inserts.clear();
        others.clear();
    }

    /** Inserts rows of the same columns by the fastest path the database offers. */
    void insertRows(Table<?> table, List<Field<?>> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (vendor == Vendor.POSTGRESQL && rows.size() >= COPY_FROM) {
            boolean copied = ctx.connectionResult(c -> {
                if (!PostgresCopy.supported(c)) {
                    return false;
                }
                PostgresCopy.copy(c, table, columns, rows);
                return true;
            });
            if (copied) {
                return;
            }
        }
        var template = ctx.insertInto(table, columns).values(Collections.nCopies(columns.size(), (Object) null));
        var batch = ctx.batch(template);
        for (Object[] row : rows) {
            batch.bind(row);
        }
        batch.execute();
    }

    record InsertRow(Table<?> table, Map<Field<?>, Object> values) {
        <T> InsertRow set(Field<T> field, T value) {
            values.put(field, value);
            return this;
        }
    }
}
