package dev.homeroom.store.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jooq.Field;
import org.jooq.Table;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows loaded with {@code COPY … FROM STDIN}, PostgreSQL's fastest bulk path (a first sync is mostly inserts). Only
 * loaded when the store is PostgreSQL, so an H2-only host needs no PostgreSQL driver.
 *
 * <p>Each value is written as UTF-8 in COPY's text format straight into a byte buffer that is handed to the server
 * whenever it fills ({@link CopyIn#writeToCopy}): no text of the whole chunk is built, read back and encoded again.
 * Building that text a character at a time had been a fifth of the engine thread's CPU in a first sync.
 */
public final class PostgresCopy {
    /** Bytes gathered before they are handed to the driver. */
    private static final int BUFFER = 1 << 16;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = TabText.NULL.getBytes(StandardCharsets.US_ASCII);

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
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            Rows out = new Rows(copy);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        out.put((byte) '\t');
                    }
                    out.value(row[i]);
                }
                out.put((byte) '\n');
            }
            out.flush();
            copy.endCopy();
        } catch (SQLException e) {
            cancel(copy);
            throw new SQLException("COPY into " + table.getName() + " failed: " + e.getMessage(), e.getSQLState(), e);
        } catch (RuntimeException e) {
            cancel(copy);
            throw e;
        }
    }

    private static void cancel(CopyIn copy) throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }

    /** COPY text, encoded as it is written. */
    private static final class Rows {
        private final CopyIn copy;
        private byte[] buffer = new byte[BUFFER];
        private int length;

        Rows(CopyIn copy) {
            this.copy = copy;
        }

        void value(Object value) throws SQLException {
            if (value == null) {
                put(NULL);
            } else if (value instanceof String s) {
                text(s.getBytes(StandardCharsets.UTF_8));
            } else if (value instanceof byte[] bytes) {
                hex(bytes);
            } else if (value instanceof Boolean b) {
                put((byte) (b ? 't' : 'f'));
            } else if (value instanceof LocalDateTime || value instanceof LocalDate || value instanceof Number) {
                put(value.toString().getBytes(StandardCharsets.US_ASCII)); // digits, '-', ':', '.', 'T': nothing to escape
            } else {
                text(value.toString().getBytes(StandardCharsets.UTF_8));
            }
        }

        /**
         * UTF-8 bytes with backslash, tab, newline and carriage return escaped. Every byte of a multi-byte UTF-8 character
         * is 0x80 or above, so looking at single bytes finds exactly those four characters.
         */
        private void text(byte[] utf8) throws SQLException {
            room(utf8.length * 2);
            byte[] b = buffer;
            int n = length;
            for (byte c : utf8) {
                switch (c) {
                    case '\\' -> { b[n++] = '\\'; b[n++] = '\\'; }
                    case '\t' -> { b[n++] = '\\'; b[n++] = 't'; }
                    case '\n' -> { b[n++] = '\\'; b[n++] = 'n'; }
                    case '\r' -> { b[n++] = '\\'; b[n++] = 'r'; }
                    default -> b[n++] = c;
                }
            }
            length = n;
        }

        /** bytea's hex input, {@code \x} and two digits a byte; COPY's own escaping doubles the backslash. */
        private void hex(byte[] bytes) throws SQLException {
            room(3 + bytes.length * 2);
            byte[] b = buffer;
            int n = length;
            b[n++] = '\\';
            b[n++] = '\\';
            b[n++] = 'x';
            for (byte v : bytes) {
                b[n++] = HEX[(v >> 4) & 0xf];
                b[n++] = HEX[v & 0xf];
            }
            length = n;
        }

        void put(byte c) throws SQLException {
            room(1);
            buffer[length++] = c;
        }

        private void put(byte[] bytes) throws SQLException {
            room(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
        }

        /** Makes room for {@code n} more bytes: hands what is gathered to the driver, or grows for one large value. */
        private void room(int n) throws SQLException {
            if (length + n <= buffer.length) {
                return;
            }
            flush();
            if (n > buffer.length) {
                buffer = Arrays.copyOf(buffer, n);
            }
        }

        void flush() throws SQLException {
            if (length > 0) {
                copy.writeToCopy(buffer, 0, length);
                length = 0;
            }
        }
    }
}
