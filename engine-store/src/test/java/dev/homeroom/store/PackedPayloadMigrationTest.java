package dev.homeroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.spi.RecordKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 7 (store size): a store written before records were packed (schema version 15, JSON as text) opens with every
 * record's JSON intact, now packed, and each section's subject and grade in the columns the console filters by. More
 * rows than one page of the migration, so its keyset paging is crossed.
 */
class PackedPayloadMigrationTest {
    private static final int USERS = 2_345;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aStoreOfTextPayloadsOpensWithEveryRecordPacked(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.freshAtVersion(vendor, "15"); // the later ones run when the store opens
        try (Connection c = DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password());
             PreparedStatement insert = c.prepareStatement("insert into clever_record (district_id, kind, clever_id, content_hash,"
                     + " payload, first_seen_run, changed_run, label) values (?, ?, ?, 'h', ?, 'r1', 'r1', ?)")) {
            for (int i = 0; i < USERS; i++) {
                row(insert, "d1", "user", String.format("u%05d", i), userJson(i), "Last" + i);
            }
            row(insert, "d1", "section", "s1", "{\"ext\":{\"grade\":\"nested, not the section's\"},\"grade\":\"9\",\"id\":\"s1\","
                    + "\"name\":\"Algebra\",\"subject\":\"math\"}", "Algebra");
            row(insert, "d1", "section", "s2", "{\"grade\":null,\"id\":\"s2\",\"name\":\"Homeroom\"}", "Homeroom");
            row(insert, "d0", "school", "sch1", "{\"id\":\"sch1\",\"name\":\"North\"}", "North");
            insert.executeBatch();
        }

        try (Store store = Store.open(db)) {
            store.read(s -> {
                for (int i = 0; i < USERS; i += 97) {
                    assertThat(s.shadow().payload("d1", RecordKind.USER, String.format("u%05d", i))).contains(userJson(i));
                }
                assertThat(s.shadow().payload("d1", RecordKind.USER, String.format("u%05d", USERS - 1))).contains(userJson(USERS - 1));
                assertThat(s.shadow().payload("d0", RecordKind.SCHOOL, "sch1")).contains("{\"id\":\"sch1\",\"name\":\"North\"}");
                assertThat(s.console().sections("d1", null, null, null, "math", "9", null, null, 10))
                        .extracting(ConsoleQueries.SectionRow::cleverId).containsExactly("s1");
                assertThat(s.console().sections("d1", null, null, null, null, "nested, not the section's", null, null, 10)).isEmpty();
                assertThat(s.console().sections("d1", null, null, null, null, null, null, null, 10))
                        .extracting(ConsoleQueries.SectionRow::payload).anySatisfy(p -> assertThat(p).contains("\"Homeroom\""));
                long unpacked = s.ctx().fetchCount(s.ctx().selectOne().from("clever_record").where("body is null"));
                assertThat(unpacked).isZero();
                return null;
            });
        }
    }

    private static void row(PreparedStatement insert, String district, String kind, String id, String json, String label) throws Exception {
        insert.setString(1, district);
        insert.setString(2, kind);
        insert.setString(3, id);
        insert.setString(4, json);
        insert.setString(5, label);
        insert.addBatch();
    }

    private static String userJson(int i) {
        return "{\"email\":\"s" + i + "@example.org\",\"id\":\"u" + i + "\",\"name\":{\"first\":\"Zoë\",\"last\":\"Last" + i
                + "\"},\"roles\":{\"student\":{\"grade\":\"" + (i % 12 + 1) + "\",\"sis_id\":\"" + (1000 + i) + "\"}}}";
    }
}
