package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.TERM;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows of several shapes, in runs and interleaved, with their columns in different orders: every row is stored with its
 * own values, whether a group is small (a prepared batch) or large (COPY on PostgreSQL).
 */
class BulkWritesTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void everyRowIsStoredWithItsOwnValuesWhateverItsShapeAndColumnOrder(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            List<String> expected = new ArrayList<>();
            store.transaction(s -> {
                BulkWrites writes = new BulkWrites(s.ctx(), s.vendor());
                for (int i = 0; i < 700; i++) {
                    String id = String.format("t%04d", i);
                    Map<Field<?>, Object> row = new LinkedHashMap<>();
                    switch (i % 7) {
                        case 0, 1, 2, 3 -> { // the common shape, in runs of four (over COPY's threshold in all)
                            row.put(TERM.DISTRICT_ID, "d");
                            row.put(TERM.CLEVER_ID, id);
                            row.put(TERM.NAME, "Term\t" + i);
                            row.put(TERM.START_DATE, LocalDate.of(2026, 1, 1).plusDays(i));
                        }
                        case 4 -> { // the same columns in another order
                            row.put(TERM.START_DATE, LocalDate.of(2026, 1, 1).plusDays(i));
                            row.put(TERM.CLEVER_ID, id);
                            row.put(TERM.DISTRICT_ID, "d");
                            row.put(TERM.NAME, "Term\t" + i);
                        }
                        case 5 -> { // fewer columns: no start date
                            row.put(TERM.DISTRICT_ID, "d");
                            row.put(TERM.CLEVER_ID, id);
                            row.put(TERM.NAME, "Term\t" + i);
                        }
                        default -> { // one more column
                            row.put(TERM.DISTRICT_ID, "d");
                            row.put(TERM.CLEVER_ID, id);
                            row.put(TERM.NAME, "Term\t" + i);
                            row.put(TERM.START_DATE, LocalDate.of(2026, 1, 1).plusDays(i));
                            row.put(TERM.END_DATE, LocalDate.of(2027, 1, 1).plusDays(i));
                        }
                    }
                    row.put(TERM.ACTIVE, i % 2 == 0);
                    row.put(TERM.CONTENT_HASH, "h" + i);
                    row.put(TERM.CREATED_RUN, "r");
                    row.put(TERM.UPDATED_RUN, "r");
                    writes.insert(TERM, row);
                    expected.add(line(id, "Term\t" + i, i % 7 == 5 ? null : LocalDate.of(2026, 1, 1).plusDays(i),
                            i % 7 == 6 ? LocalDate.of(2027, 1, 1).plusDays(i) : null, i % 2 == 0, "h" + i));
                }
                writes.execute();
                return null;
            });
            List<String> stored = store.read(s -> s.ctx().selectFrom(TERM).where(TERM.DISTRICT_ID.eq("d")).orderBy(TERM.CLEVER_ID)
                    .fetch(r -> line(r.getCleverId(), r.getName(), r.getStartDate(), r.getEndDate(), r.getActive(), r.getContentHash())));
            assertThat(stored).containsExactlyElementsOf(expected);
        }
    }

    private static String line(String id, String name, LocalDate start, LocalDate end, boolean active, String hash) {
        return id + "|" + name + "|" + start + "|" + end + "|" + active + "|" + hash;
    }
}
