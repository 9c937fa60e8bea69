package dev.homeroom.store;

import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Where the store lives. {@link #h2File(Path)} is the embedded default; for PostgreSQL pass its JDBC URL.
 * The password never appears in {@link #toString()}.
 */
@API(status = API.Status.STABLE)
public record StoreConfig(String jdbcUrl, String user, String password, int maxPoolSize) {
    /** The flags jOOQ's quoted lower-case names need on H2 (see STACK.md). */
    static final String H2_FLAGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;NON_KEYWORDS=KEY,VALUE";

    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Vendor.fromJdbcUrl(jdbcUrl);
        if (maxPoolSize < 2) { // with one, opening the store waited 30 s for a connection and failed
            throw new StoreException("HR-STORE-002", "maxPoolSize must be at least 2, got " + maxPoolSize + " (migrating the store takes"
                    + " two connections at once)", false, null);
        }
    }

    public static StoreConfig of(String jdbcUrl, String user, String password) {
        return new StoreConfig(jdbcUrl, user, password, 4);
    }

    /** An embedded H2 file database {@code homeroom} in the given directory. */
    public static StoreConfig h2File(Path directory) {
        return of("jdbc:h2:file:" + directory.toAbsolutePath().normalize().resolve("homeroom"), "sa", "");
    }

    /** An in-memory H2 database (tests, dry runs); it lives until the JVM exits. */
    public static StoreConfig h2Memory(String name) {
        return of("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    public Vendor vendor() {
        return Vendor.fromJdbcUrl(jdbcUrl);
    }

    /** The URL with the flags each vendor needs added when the user did not give them. */
    public String effectiveUrl() {
        return switch (vendor()) {
            case H2 -> jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("DATABASE_TO_LOWER") ? jdbcUrl : jdbcUrl + H2_FLAGS;
            case POSTGRESQL -> jdbcUrl.contains("reWriteBatchedInserts")
                    ? jdbcUrl
                    : jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        };
    }

    @Override
    public String toString() {
        return "StoreConfig[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "" : "****")
                + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
