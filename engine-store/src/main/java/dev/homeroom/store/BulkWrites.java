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
        Table<?> lastTable = null;
        List<Field<?>> lastColumns = null;
        List<InsertRow> lastGroup = null;
        for (InsertRow row : inserts) {
            // rows come in runs of one shape: a row like the one before joins its group without a key built for it
            // (a list of its columns for each of a 1M first sync's millions of rows was a tenth of its Java time)
            if (lastGroup == null || row.table() != lastTable || !sameColumns(row.values().keySet(), lastColumns)) {
                lastTable = row.table();
                lastColumns = List.copyOf(row.values().keySet());
                lastGroup = groups.computeIfAbsent(lastTable, t -> new LinkedHashMap<>()).computeIfAbsent(lastColumns, k -> new ArrayList<>());
            }
            lastGroup.add(row);
        }
        for (var byTable : groups.entrySet()) {
            for (var byColumns : byTable.getValue().entrySet()) {
                List<Field<?>> columns = byColumns.getKey();
                List<Object[]> rows = new ArrayList<>(byColumns.getValue().size());
                for (InsertRow row : byColumns.getValue()) {
                    rows.add(row.values().values().toArray()); // in the group's column order: its key is the row's columns in order
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

    /** Whether a row's columns are these, in this order. */
    private static boolean sameColumns(java.util.Set<Field<?>> keys, List<Field<?>> columns) {
        if (keys.size() != columns.size()) {
            return false;
        }
        int i = 0;
        for (Field<?> key : keys) {
            Field<?> column = columns.get(i++);
            if (key != column && !key.equals(column)) {
                return false;
            }
        }
        return true;
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
