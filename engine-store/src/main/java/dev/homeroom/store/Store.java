package dev.homeroom.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Homeroom store: opens (and migrates) the database, and runs work in transactions. A sync run does all of its
 * writes in one {@link #transaction}, so a crash before commit leaves the previous state intact.
 */
@API(status = API.Status.STABLE)
public final class Store implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Store.class);

    private final DataSource dataSource;
    private final boolean ownsDataSource;
    /** The URL of an embedded H2 file store this Store opened, compacted on close; null otherwise. */
    private final String compactOnClose;
    private final Vendor vendor;
    private final DSLContext dsl;

    private Store(DataSource dataSource, boolean ownsDataSource, Vendor vendor, String compactOnClose) {
        this.dataSource = dataSource;
        this.ownsDataSource = ownsDataSource;
        this.compactOnClose = compactOnClose;
        this.vendor = vendor;
        Settings settings = new Settings()
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withExecuteLogging(false);
        this.dsl = DSL.using(dataSource, vendor == Vendor.H2 ? SQLDialect.H2 : SQLDialect.POSTGRES, settings);
    }

    /** Opens a pooled connection to the configured database and brings its schema up to date. */
    public static Store open(StoreConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.effectiveUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setPoolName("homeroom-store");
        hikari.setAutoCommit(true);
        hikari.setInitializationFailTimeout(5_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreException("HR-STORE-003", "cannot connect to " + config.jdbcUrl() + ": " + rootMessage(e)
                    + " (check --db, --db-user and --db-password)", true, e);
        }
        try {
            migrate(pool, config.vendor());
            boolean h2File = config.vendor() == Vendor.H2 && !config.jdbcUrl().startsWith("jdbc:h2:mem:");
            return new Store(pool, true, config.vendor(), h2File ? config.effectiveUrl() : null);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Uses a data source the host owns (and closes); migrates it. */
    public static Store open(DataSource dataSource, Vendor vendor) {
        migrate(dataSource, vendor);
        return new Store(dataSource, false, vendor, null);
    }

    private static void migrate(DataSource dataSource, Vendor vendor) {
        try {
            var result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor.migrationFolder())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                log.info("HR-STORE-100 store schema migrated to version {} ({} migrations)", result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new StoreException("HR-STORE-004", "cannot migrate the store: " + rootMessage(e), false, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    public Vendor vendor() {
        return vendor;
    }

    /**
     * The data source this store runs on, already migrated: for parts of the host that share the store's database
     * (the sync scheduler's own table lives in it). A store that opened it closes it; callers never do.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(Function<StoreSession, T> work) {
        try {
            return dsl.transactionResult(cfg -> work.apply(new StoreSession(DSL.using(cfg), vendor)));
        } catch (org.jooq.exception.DataAccessException e) {
            throw new StoreException("HR-STORE-005", "store operation failed: " + rootMessage(e), true, e);
        }
    }

    /**
     * Runs work in one transaction and always rolls it back, returning what the work returned: a dry run ({@code plan})
     * or a run a safety guard halted sees exactly what applying would do, and leaves nothing behind.
     */
    public <T> T rolledBack(Function<StoreSession, T> work) {
        final class Rollback extends RuntimeException {
            final transient Object result;

            Rollback(Object result) {
                super(null, null, false, false);
                this.result = result;
            }
        }
        try {
            dsl.transaction(cfg -> {
                throw new Rollback(work.apply(new StoreSession(DSL.using(cfg), vendor)));
            });
            throw new IllegalStateException("unreachable");
        } catch (Rollback r) {
            @SuppressWarnings("unchecked")
            T result = (T) r.result;
            return result;
        } catch (org.jooq.exception.DataAccessException e) {
            throw new StoreException("HR-STORE-005", "store operation failed: " + rootMessage(e), true, e);
        }
    }

    /** Runs read-only work outside an explicit transaction. */
    public <T> T read(Function<StoreSession, T> work) {
        try {
            return work.apply(new StoreSession(dsl, vendor));
        } catch (org.jooq.exception.DataAccessException e) {
            throw new StoreException("HR-STORE-005", "store operation failed: " + rootMessage(e), true, e);
        }
    }

    @Override
    public void close() {
        if (ownsDataSource && dataSource instanceof HikariDataSource pool) {
            pool.close();
            if (compactOnClose != null) {
                compact(compactOnClose, pool.getUsername(), pool.getPassword());
            }
        }
    }

    /**
     * An H2 file keeps the old versions of every row a run rewrote until it is compacted: a 5,000-student store grew from
     * 69 MB to 120 MB on a run that changed nothing, and {@code SHUTDOWN COMPACT} brought it to 8 MB in 0.6 s. The
     * embedded store is compacted each time the engine closes it.
     */
    private static void compact(String url, String user, String password) {
        long t0 = System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, password);
             java.sql.Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
            log.debug("HR-STORE-101 compacted the H2 store in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (java.sql.SQLException e) {
            log.warn("HR-STORE-102 could not compact the H2 store ({}); it stays correct, only larger", e.getMessage());
        }
    }
}
