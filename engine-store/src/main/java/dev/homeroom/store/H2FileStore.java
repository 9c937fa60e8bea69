package dev.homeroom.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded H2 file store: where its file lies, and a small record beside it of how many runs it held when last
 * opened or closed. An H2 file cut short opens as an empty database (its older pages are simply gone), and a sync into
 * it would announce every account as new; the record beside it is how such a file is recognised and refused.
 */
final class H2FileStore {
    private static final Logger log = LoggerFactory.getLogger(H2FileStore.class);
    static final String MARKER_SUFFIX = ".homeroom-store.properties";

    private final Path base;

    private H2FileStore(Path base) {
        this.base = base;
    }

    /** The file store a URL names, or null for in-memory, server (tcp/ssl) and other non-file URLs. */
    static H2FileStore of(String jdbcUrl) {
        if (!jdbcUrl.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return null;
        }
        String rest = jdbcUrl.substring(8);
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            rest = rest.substring(0, semicolon);
        }
        String lower = rest.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            rest = rest.substring(5);
        } else if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:") || lower.contains(":")
                && !(rest.length() > 2 && rest.charAt(1) == ':')) { // a Windows drive letter is still a file
            return null;
        }
        if (rest.isBlank()) {
            return null;
        }
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return new H2FileStore(Path.of(rest).toAbsolutePath().normalize());
    }

    Path databaseFile() {
        return base.resolveSibling(base.getFileName() + ".mv.db");
    }

    Path marker() {
        return base.resolveSibling(base.getFileName() + MARKER_SUFFIX);
    }

    /** Creates the store's directory if need be; fails in one line when it cannot be created or written. */
    void requireWritable() {
        Path directory = databaseFile().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException | SecurityException e) {
            throw new StoreException("HR-STORE-009", "cannot create or write the H2 store " + databaseFile() + ": cannot create its"
                    + " directory " + directory + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); give --db a directory this user can write", false, e);
        }
        Path file = databaseFile();
        if (!Files.isWritable(directory) || Files.exists(file) && !Files.isWritable(file)) {
            throw new StoreException("HR-STORE-009", "cannot create or write the H2 store " + file + ": this user may not write "
                    + (Files.exists(file) ? "the file" : "its directory") + "; give --db a directory this user can write", false, null);
        }
    }

    /** Runs the record beside the file says the store held; 0 when there is no record. */
    long runsHeld() {
        Path marker = marker();
        if (!Files.isRegularFile(marker)) {
            return 0;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(marker)) {
            p.load(in);
            return Long.parseLong(p.getProperty("runs", "0").strip());
        } catch (IOException | NumberFormatException e) {
            throw new StoreException("HR-STORE-008", "the record beside the H2 store, " + marker + ", cannot be read (" + e.getMessage()
                    + "): restore it from a backup along with the store, or delete it to accept the store as it is", false, e);
        }
    }

    /** Runs the open database holds, counted before any migration: 0 when it has no run table (a new or emptied file). */
    static long runsIn(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet tables = s.executeQuery("select count(*) from information_schema.tables where lower(table_name) = 'sync_run'")) {
            tables.next();
            if (tables.getLong(1) == 0) {
                return 0;
            }
        }
        try (Statement s = c.createStatement(); ResultSet runs = s.executeQuery("select count(*) from sync_run")) {
            runs.next();
            return runs.getLong(1);
        }
    }

    /** Refuses a database that holds fewer runs than it did: runs are never deleted, so it was cut short or replaced. */
    void requireIntact(long runsNow) {
        long held = runsHeld();
        if (held > runsNow) {
            throw new StoreException("HR-STORE-007", "the H2 store " + databaseFile() + " holds " + runsNow + " runs but held " + held
                    + " when last used (see " + marker() + "): the file was truncated, replaced or damaged, and syncing into it would"
                    + " announce every account as new. Restore it from a backup; to start over on purpose, delete both files",
                    false, null);
        }
    }

    /** Records how many runs the store holds now; never fails the caller (the store itself is intact). */
    void record(long runs) {
        Path marker = marker();
        Properties p = new Properties();
        p.setProperty("runs", Long.toString(runs));
        try {
            Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "Homeroom: what this H2 store held when last opened or closed; a store holding less is refused");
            }
            try {
                Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("HR-STORE-104 could not write {} ({}); a truncated store file would not be recognised", marker, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return databaseFile().toString();
    }
}
