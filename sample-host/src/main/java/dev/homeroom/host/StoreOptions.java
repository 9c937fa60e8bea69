package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.store.StoreConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db}, {@code --db-user}, {@code --db-password}: where the store lives (default: H2 under ./rostersync-data). */
final class StoreOptions {
    static final Path DEFAULT_DIR = Path.of("rostersync-data");

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "store database (default: embedded H2 file under ./rostersync-data); e.g. jdbc:postgresql://127.0.0.1:5432/app")
    String url;

    @Option(names = "--db-user", paramLabel = "USER", description = "database user")
    String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", description = "database password (or env HOMEROOM_DB_PASSWORD)",
            defaultValue = "${env:HOMEROOM_DB_PASSWORD}")
    String password;

    /** An engine that only reads the store (explain, runs, warnings): no token, no plugins. */
    SyncEngine readOnlyEngine() {
        return SyncEngine.builder().store(config()).discoverPlugins(false).build();
    }

    StoreConfig config() {
        if (url == null) {
            return StoreConfig.h2File(DEFAULT_DIR);
        }
        return StoreConfig.of(url, user == null ? (url.startsWith("jdbc:h2:") ? "sa" : null) : user, password == null ? "" : password);
    }
}
