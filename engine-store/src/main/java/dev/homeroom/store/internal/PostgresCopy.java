package dev.homeroom.store.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.jooq.Field;
import org.jooq.Table;
import org.postgresql.PGConnection;

/**
 * Rows loaded with {@code COPY … FROM STDIN}, PostgreSQL's fastest bulk path (a first sync is mostly inserts). Only
 * loaded when the store is PostgreSQL, so an H2-only host needs no PostgreSQL driver.
 */
public final class PostgresCopy {
    /** Rows sent per COPY buffer, so a large group does not build one huge string. */
    private static final int ROWS_PER_CHUNK = 20_000;

    private PostgresCopy() {}

    /** Whether this connection can COPY (a host's pool may wrap it in something that does not unwrap). */
    public static boolean supported(Connection connection) {
        try {
            return connection.isWrapperFor(PGConnection.class);
        } catch (SQLException e) {
            return false;
        }
    }

    public static void copy(Connection connection, Table<?> table, List<Field<?>> columns, List<Object[]> rows) throws SQLException {
        String sql = "copy " + table.getName() + " (" + columns.stream().map(Field::getName).collect(Collectors.joining(", "))
                + ") from stdin";
        var api = connection.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder buffer = new StringBuilder(1 << 16);
        try {
            for (int start = 0; start < rows.size(); start += ROWS_PER_CHUNK) {
                buffer.setLength(0);
                for (Object[] row : rows.subList(start, Math.min(rows.size(), start + ROWS_PER_CHUNK))) {
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) {
                            buffer.append('\t');
                        }
                        TabText.append(buffer, text(row[i]));
                    }
                    buffer.append('\n');
                }
                try (Reader in = new StringReader(buffer.toString())) {
                    api.copyIn(sql, in);
                }
            }
        } catch (IOException e) {
            throw new SQLException("COPY into " + table.getName() + " failed: " + e.getMessage(), e);
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (value instanceof LocalDateTime t) {
            return t.toString();
        }
        if (value instanceof LocalDate d) {
            return d.toString();
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HexFormat.of().formatHex(bytes); // bytea's hex input; append() escapes the backslash
        }
        return value.toString();
    }
}
