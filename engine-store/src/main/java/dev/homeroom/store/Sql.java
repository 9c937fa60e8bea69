package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Row1;
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
     * {@code table} joined to these ids on {@code column}, the ids first. H2 keeps the written join order when an outer
     * join follows: with the ids second it read the district's rows and scanned the ids for each (5.7 s for 1,000 ids in
     * 50,000 rows, 63 ms the other way round).
     */
    static Table<?> joinIds(Table<?> table, Field<String> column, Collection<String> ids) {
        return idTable(ids).join(table).on(column.eq(ID));
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
