package dev.homeroom.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh, empty stores for tests, on H2 and on the PostgreSQL server of this machine. The PostgreSQL URL comes from
 * {@code HOMEROOM_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user from
 * {@code HOMEROOM_TEST_PG_USER}, default postgres). Without a server those tests are skipped, saying how to enable them;
 * with {@code CI=true} they fail instead, so CI never passes without running them.
 */
public final class TestDatabases {
    public static final String PG_URL = env("HOMEROOM_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = env("HOMEROOM_TEST_PG_USER", "postgres");
    public static final String PG_PASSWORD = env("HOMEROOM_TEST_PG_PASSWORD", "");

    private TestDatabases() {}

    /** A config for a new, empty database of this vendor: an in-memory H2 or a fresh PostgreSQL schema. */
    public static StoreConfig fresh(Vendor vendor) {
        String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return switch (vendor) {
            case H2 -> StoreConfig.h2Memory(name);
            case POSTGRESQL -> {
                requirePostgres();
                try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement s = c.createStatement()) {
                    s.execute("create schema " + name);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot create test schema on " + PG_URL, e);
                }
                String url = PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
                yield StoreConfig.of(url, PG_USER, PG_PASSWORD);
            }
        };
    }

    /**
     * A fresh store migrated up to {@code version} only, as an older engine left it (the store's Java migrations, such
     * as V017, are not registered here: open it with {@link Store#open} to run the rest).
     */
    public static StoreConfig freshAtVersion(Vendor vendor, String version) {
        StoreConfig db = fresh(vendor);
        org.flywaydb.core.Flyway.configure().dataSource(db.effectiveUrl(), db.user(), db.password())
                .locations(Store.migrationLocations(vendor))
                .target(version).load().migrate();
        return db;
    }

    public static Store open(Vendor vendor) {
        return Store.open(fresh(vendor));
    }

    /** Skips the calling test when no PostgreSQL answers, or fails it when running in CI. */
    public static void requirePostgres() {
        try (Connection ignored = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
            return;
        } catch (SQLException e) {
            String why = "PostgreSQL is not reachable at " + PG_URL + " as " + PG_USER + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + ": CI=true requires the PostgreSQL tests to run");
            }
            Assumptions.abort(why + "; start PostgreSQL or set HOMEROOM_TEST_PG_URL/_USER/_PASSWORD to run these tests");
        }
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    static String label(Vendor v) {
        return v.name().toLowerCase(Locale.ROOT);
    }
}
