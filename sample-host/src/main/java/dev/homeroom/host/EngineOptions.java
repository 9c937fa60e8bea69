package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The inputs every syncing command shares: Clever, the store, rules and plugins. */
final class EngineOptions {
    @Option(names = "--clever-url", paramLabel = "URL", defaultValue = "https://api.clever.com",
            description = "Clever API origin (default ${DEFAULT-VALUE}); plain http only for loopback hosts")
    String cleverUrl;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CLEVER_TOKEN}",
            description = "the district's bearer token (default: env CLEVER_TOKEN)")
    String token;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--rules", paramLabel = "DIR", description = "a directory of .drl files (and policies.properties) to use instead of the shipped rules")
    Path rules;

    @Option(names = "--policies", paramLabel = "FILE", description = "a policies file (default: DIR/policies.properties, else the shipped one)")
    Path policies;

    @Option(names = "--plugins", paramLabel = "DIR", description = "a directory of extra district plugin jars")
    Path plugins;

    @Option(names = "--mode", paramLabel = "full|incremental", defaultValue = "full",
            description = "full (every shared record) or incremental (Clever events since the last run); default ${DEFAULT-VALUE}")
    String mode;

    @Option(names = "--json", description = "print one JSON object on stdout (logs go to stderr)")
    boolean json;

    SyncMode syncMode() {
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "full" -> SyncMode.FULL;
            case "incremental" -> SyncMode.INCREMENTAL;
            default -> throw new dev.homeroom.engine.ConfigurationException("HR-CONFIG-030",
                    "unknown --mode '" + mode + "': use full or incremental");
        };
    }

    SyncEngine.Builder builder() {
        return SyncEngine.builder()
                .cleverUrl(cleverUrl)
                .token(token)
                .store(store.config())
                .rulesDirectory(rules)
                .policiesFile(policies)
                .pluginDirectory(plugins);
    }
}
