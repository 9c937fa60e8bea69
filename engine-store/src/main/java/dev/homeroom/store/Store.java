package dev.homeroom.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apiguardian.api.API;
import dev.homeroom.store.migration.V017__PackPayloads;
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
    /** The embedded H2 file store this Store opened (compacted on close when no one else uses it); null otherwise. */
    private final H2FileStore h2File;
    private final String url;
    private final Vendor vendor;
    private final DSLContext dsl;
    /** The outbox's marks, shared by this store's sessions (see {@link OutboxStore}): hints that only save reading. */
    private final java.util.Map<String, Integer> outboxDrainedBelow = new java.util.concurrent.ConcurrentHashMap<>();

    private Store(DataSource dataSource, boolean ownsDataSource, Vendor vendor, H2FileStore h2File, String url) {
        this.dataSource = dataSource;
        this.ownsDataSource = ownsDataSource;
        this.h2File = h2File;
        this.url = url;
        this.vendor = vendor;
        Settings settings = new Settings()
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withExecuteLogging(false);
        this.dsl = DSL.using(dataSource, vendor == Vendor.H2 ? SQLDialect.H2 : SQLDialect.POSTGRES, settings);
    }

    /**
     * Opens a pooled connection to the configured database and brings its schema up to date. A database that cannot be
     * opened fails with one line saying why and what to do: locked by another process, a path that cannot be written,
     * a damaged or truncated H2 file, wrong credentials.
     */
    public static Store open(StoreConfig config) {
        H2FileStore h2 = config.vendor() == Vendor.H2 ? H2FileStore.of(config.jdbcUrl()) : null;
        if (h2 != null) {
            // before H2 sees it: H2 reports a path it cannot write by printing its trace to stderr, a hundred lines long
            h2.requireWritable();
        }
        // One plain connection first: its failure is classified here, in one line, instead of surfacing through the pool
        // (which logs a stack trace); held open until the pool has started so an embedded database is opened once.
        java.sql.Connection first = connect(config, h2);
        try {
            if (h2 != null) {
                h2.requireIntact(countRuns(first, h2));
            }
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
                Store store = new Store(pool, true, config.vendor(), h2, config.effectiveUrl());
                store.recordContents();
                return store;
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        } finally {
            try {
                first.close();
            } catch (java.sql.SQLException e) {
                log.debug("closing the first store connection failed: {}", e.getMessage());
            }
        }
    }

    private static long countRuns(java.sql.Connection c, H2FileStore h2) {
        try {
            return H2FileStore.runsIn(c);
        } catch (java.sql.SQLException e) {
            throw new StoreException("HR-STORE-008", "the H2 store " + h2 + " is damaged and cannot be read (" + rootMessage(e)
                    + "): restore it from a backup", false, e);
        }
    }

    /** Connects once, turning each way it can fail into one line that says what to change. */
    private static java.sql.Connection connect(StoreConfig config, H2FileStore h2) {
        try {
            return java.sql.DriverManager.getConnection(config.effectiveUrl(), config.user(), config.password());
        } catch (java.sql.SQLException e) {
            throw classify(config, h2, e);
        }
    }

    static StoreException classify(StoreConfig config, H2FileStore h2, java.sql.SQLException e) {
        String where = h2 != null ? "the H2 store " + h2.databaseFile() : config.jdbcUrl();
        String why = rootMessage(e);
        if (config.vendor() == Vendor.H2) {
            switch (e.getErrorCode()) {
                case 90020 -> { // DATABASE_ALREADY_OPEN_1: another process holds the file lock
                    return new StoreException("HR-STORE-006", where + " is in use by another process (its file is locked): wait for"
                            + " that process to finish, or let processes share it by adding ;AUTO_SERVER=TRUE to the store URL of each",
                            true, e);
                }
                case 90062, 90061, 90024, 90025, 90013 -> { // cannot create or write the file or its directory
                    return new StoreException("HR-STORE-009", "cannot create or write " + where + ": " + why
                            + " (give --db a directory this user can write)", false, e);
                }
                case 90028, 90030, 90031, 90048, 50000 -> { // I/O error, file corrupted, wrong file format
                    return new StoreException("HR-STORE-008", where + " is damaged and cannot be opened (" + why
                            + "): restore it from a backup", false, e);
                }
                case 28000 -> {
                    return new StoreException("HR-STORE-010", "wrong user name or password for " + where
                            + " (check --db-user and --db-password)", false, e);
                }
                default -> { }
            }
        } else if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
            return new StoreException("HR-STORE-010", "PostgreSQL refused the user name or password for " + config.jdbcUrl() + ": " + why
                    + " (check --db-user and --db-password)", false, e);
        }
        return new StoreException("HR-STORE-003", "cannot connect to " + config.jdbcUrl() + ": " + why
                + " (check --db, --db-user and --db-password)", true, e);
    }

    /** Notes beside an H2 file store how many runs it holds, so a truncated or replaced file is recognised later. */
    private void recordContents() {
        if (h2File == null) {
            return;
        }
        try {
            h2File.record(dsl.fetchCount(DSL.table(DSL.name("sync_run"))));
        } catch (org.jooq.exception.DataAccessException e) {
            log.warn("HR-STORE-104 could not count the runs of {} ({})", h2File, rootMessage(e));
        }
    }

    /** Uses a data source the host owns (and closes); migrates it. */
    public static Store open(DataSource dataSource, Vendor vendor) {
        migrate(dataSource, vendor);
        return new Store(dataSource, false, vendor, null, null);
    }

    /** Where the store's SQL migrations are: those of every vendor, and the vendor's own. */
    static String[] migrationLocations(Vendor vendor) {
        return new String[] {"classpath:db/migration/common", "classpath:db/migration/" + vendor.migrationFolder()};
    }

    private static void migrate(DataSource dataSource, Vendor vendor) {
        try {
            var result = Flyway.configure()
                    .loggers("slf4j") // through the host's logging, never stdout or JUL, whatever else is on the class path
                    .dataSource(dataSource)
                    .locations(migrationLocations(vendor))
                    .failOnMissingLocations(true)
                    .javaMigrations(new V017__PackPayloads())
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
            return dsl.transactionResult(cfg -> work.apply(new StoreSession(DSL.using(cfg), vendor, outboxDrainedBelow)));
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
                throw new Rollback(work.apply(new StoreSession(DSL.using(cfg), vendor, outboxDrainedBelow)));
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

    private static final org.jooq.Table<?> TOKEN_BINDING = DSL.table(DSL.name("token_binding"));
    private static final org.jooq.Field<String> TOKEN_SHA256 = DSL.field(DSL.name("token_sha256"), String.class);
    private static final org.jooq.Field<String> BOUND_DISTRICT = DSL.field(DSL.name("district_id"), String.class);
    private static final org.jooq.Field<java.time.LocalDateTime> BOUND_AT = DSL.field(DSL.name("bound_at"), java.time.LocalDateTime.class);

    /** The district a token (by its SHA-256 fingerprint) was last seen to belong to, if it was seen at all. */
    public java.util.Optional<String> boundDistrict(String tokenFingerprint) {
        try {
            return dsl.select(BOUND_DISTRICT).from(TOKEN_BINDING).where(TOKEN_SHA256.eq(tokenFingerprint)).fetchOptional(BOUND_DISTRICT);
        } catch (org.jooq.exception.DataAccessException e) {
            throw new StoreException("HR-STORE-005", "store operation failed: " + rootMessage(e), true, e);
        }
    }

    /** Binds a token (by its fingerprint) to the district it sees now, replacing any earlier binding. */
    public void bindToken(String tokenFingerprint, String districtId) {
        try {
            dsl.transaction(cfg -> {
                DSLContext tx = DSL.using(cfg);
                int updated = tx.update(TOKEN_BINDING).set(BOUND_DISTRICT, districtId).set(BOUND_AT, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC))
                        .where(TOKEN_SHA256.eq(tokenFingerprint)).execute();
                if (updated == 0) {
                    tx.insertInto(TOKEN_BINDING, TOKEN_SHA256, BOUND_DISTRICT, BOUND_AT)
                            .select(DSL.select(DSL.val(tokenFingerprint), DSL.val(districtId),
                                            DSL.val(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)))
                                    .whereNotExists(DSL.selectOne().from(TOKEN_BINDING).where(TOKEN_SHA256.eq(tokenFingerprint))))
                            .execute();
                }
            });
        } catch (org.jooq.exception.DataAccessException e) {
            throw new StoreException("HR-STORE-005", "store operation failed: " + rootMessage(e), true, e);
        }
    }

    /** Runs read-only work outside an explicit transaction. */
    public <T> T read(Function<StoreSession, T> work) {
        try {
            return work.apply(new StoreSession(dsl, vendor, outboxDrainedBelow));
        } catch (org.jooq.exception.DataAccessException e) {
            throw new StoreException("HR-STORE-005", "store operation failed: " + rootMessage(e), true, e);
        }
    }

    @Override
    public void close() {
        if (ownsDataSource && dataSource instanceof HikariDataSource pool) {
            recordContents();
            pool.close();
            if (h2File != null) {
                compactIfAlone(url, pool.getUsername(), pool.getPassword());
            }
        }
    }

    /**
     * An H2 file keeps the old versions of every row a run rewrote until it is compacted: a 5,000-student store grew from
     * 69 MB to 120 MB on a run that changed nothing, and {@code SHUTDOWN COMPACT} brought it to 8 MB in 0.6 s. The
     * embedded store is compacted when the engine closes it, but only when no other connection uses the database:
     * {@code SHUTDOWN} closes it for everyone, so with {@code AUTO_SERVER=TRUE} (or a second store in this process) it would
     * kill another process's sync in the middle of its run.
     */
    private static void compactIfAlone(String url, String user, String password) {
        long t0 = System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, password);
             java.sql.Statement s = c.createStatement()) {
            long sessions;
            try (java.sql.ResultSet r = s.executeQuery("select count(*) from information_schema.sessions")) {
                r.next();
                sessions = r.getLong(1);
            }
            if (sessions > 1) {
                log.debug("HR-STORE-103 not compacting the H2 store: {} other connections still use it", sessions - 1);
                return;
            }
            s.execute("SHUTDOWN COMPACT");
            log.debug("HR-STORE-101 compacted the H2 store in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (java.sql.SQLException e) {
            log.warn("HR-STORE-102 could not compact the H2 store ({}); it stays correct, only larger", e.getMessage());
        }
    }
}
