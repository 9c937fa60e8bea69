package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Row1;
import org.jooq.Row2;
import org.jooq.Table;
import org.jooq.impl.DSL;

/** Small pieces of SQL the store's parts share. */
final class Sql {
    /** Id lists are cut to this size: H2's parser slows super-linearly on long lists. */
    static final int CHUNK = 1000;

    /** The join column of {@link #idTable}. */
    static final Field<String> ID = DSL.field(DSL.name("ids", "id"), String.class);

    private Sql() {}

    /**
     * Ids as a one-column table to join on. H2 uses the primary key for a join, but for {@code clever_id IN (…)} after
     * equalities on district and kind it reads every row of that district and kind (EXPLAIN: 20,001 rows read to find 3),
     * which made a district's run quadratic. Updates and deletes by id are batched single-row statements for the same reason.
     */
    private static Table<?> idTable(Collection<String> ids) {
        @SuppressWarnings("unchecked")
        Row1<String>[] rows = ids.stream().map(DSL::row).toArray(Row1[]::new);
        return DSL.values(rows).as("ids", "id");
    }

    /**
     * {@code table} joined to these ids on {@code column}, the ids first: with the ids second H2 read the district's rows
     * and scanned the ids for each (5.7 s for 1,000 ids in 50,000 rows, 63 ms the other way round). H2 chooses this
     * order for a query of two tables; when more tables are joined, use {@link #lookUpIds}.
     */
    static Table<?> joinIds(Table<?> table, Field<String> column, Collection<String> ids) {
        return idTable(ids).join(table).on(column.eq(ID));
    }

    /** The two join columns of {@link #joinPairs}. */
    private static final Field<String> ONE_ID = DSL.field(DSL.name("pairs", "one_id"), String.class);
    private static final Field<String> OTHER_ID = DSL.field(DSL.name("pairs", "other_id"), String.class);

    /** {@link #joinIds} for pairs of ids (each a list of two) matched on two columns, the pairs first. */
    static Table<?> joinPairs(Table<?> table, Field<String> first, Field<String> second, Collection<List<String>> pairs) {
        @SuppressWarnings("unchecked")
        Row2<String, String>[] rows = pairs.stream().map(p -> DSL.row(p.get(0), p.get(1))).toArray(Row2[]::new);
        return DSL.values(rows).as("pairs", "one_id", "other_id").join(table).on(first.eq(ONE_ID), second.eq(OTHER_ID));
    }

    /**
     * The rows of {@code table} with these ids, for a query that joins further tables: the ids outer-joined to
     * {@code table} on {@code column} and {@code key} (the conditions that, with {@code column}, make up an index),
     * which fixes the order H2 reads them in. An inner join leaves H2 free to reorder, and when an outer join followed it
     * put the ids last: every user row of the district was read and the 1,000 ids scanned for each (9.3 s for a batch
     * of an incremental run at 100,000 students, 0.1 s ids first). The caller's {@code WHERE} must hold a condition on
     * {@code table} that an absent row fails (the district, say), so that ids the table does not hold drop out.
     */
    static Table<?> lookUpIds(Table<?> table, Field<String> column, Collection<String> ids, Condition... key) {
        return idTable(ids).leftJoin(table).on(DSL.and(key).and(column.eq(ID)));
    }

    static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }

    static RecordKind kindOf(String label) {
        for (RecordKind k : RecordKind.values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new IllegalStateException("unknown record kind in store: " + label);
    }
}
