package dev.homeroom.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.store.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rows COPYed into a real PostgreSQL come back exactly, whatever their text holds and however many buffers they fill. */
class PostgresCopyTest {
    private final String table = "copy_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        TestDatabases.requirePostgres();
        connection = DriverManager.getConnection(TestDatabases.PG_URL, TestDatabases.PG_USER, TestDatabases.PG_PASSWORD);
        try (Statement s = connection.createStatement()) {
            s.execute("create table " + table + " (n integer, label varchar(200000), flag boolean, at timestamp, day date, body bytea)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        if (connection != null) {
            try (Statement s = connection.createStatement()) {
                s.execute("drop table if exists " + table);
            }
            connection.close();
        }
    }

    @Test
    void everyValueComesBackAsItWasWritten() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        String[] labels = {"plain", "", "tab\there", "new\nline", "carriage\rreturn", "back\\slash \\N not null", "\\",
            "María García-López", "emoji \uD83D\uDE00 ok", "ends with a backslash\\", "x".repeat(150_000), null};
        for (int i = 0; i < labels.length; i++) {
            byte[] body = i % 3 == 0 ? null : new byte[] {0, 1, (byte) 0x5c, (byte) 0x09, (byte) 0x0a, (byte) 0xff, (byte) i};
            rows.add(new Object[] {i, labels[i], i % 2 == 0, LocalDateTime.of(2026, 12, 2, 21, 30, 5, 123_000_000 + i * 1000),
                LocalDate.of(2026, 1, 1 + i), body});
        }
        for (int i = labels.length; i < 20_000; i++) { // many buffers' worth
            rows.add(new Object[] {i, "row " + i + "\t" + "é".repeat(i % 7), null, null, null, new byte[] {(byte) i, (byte) (i >> 8)}});
        }
        PostgresCopy.copy(connection, DSL.table(DSL.name(table)), columns(), rows);

        List<Object[]> back = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("select * from " + table + " order by n")) {
            while (r.next()) {
                back.add(new Object[] {r.getInt(1), r.getString(2), r.getObject(3), r.getObject(4, LocalDateTime.class),
                    r.getObject(5, LocalDate.class), r.getBytes(6)});
            }
        }
        assertThat(back).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(Arrays.deepEquals(back.get(i), rows.get(i))).as("row %d: %s", i, Arrays.deepToString(back.get(i))).isTrue();
        }
    }

    @Test
    void aRowTheServerRefusesFailsTheCopyNamingTheTableAndLeavesTheConnectionUsable() throws SQLException {
        List<Object[]> rows = List.of(new Object[] {1, "fine", true, null, null, null}, new Object[] {2, "nul \u0000 char", true, null, null, null});
        assertThatThrownBy(() -> PostgresCopy.copy(connection, DSL.table(DSL.name(table)), columns(), rows))
                .isInstanceOf(SQLException.class).hasMessageContaining("COPY into " + table);
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("select count(*) from " + table)) {
            r.next();
            assertThat(r.getInt(1)).isZero();
        }
    }

    private static List<Field<?>> columns() {
        List<Field<?>> columns = new ArrayList<>();
        for (String name : new String[] {"n", "label", "flag", "at", "day", "body"}) {
            columns.add(DSL.field(DSL.name(name)));
        }
        return columns;
    }
}
