package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The inputs every syncing command shares: Clever, the store, rules and plugins. */
final class EngineOptions {
    @Option(names = "--clever-url", paramLabel = "URL", defaultValue = "https://api.clever.com",
            description = "Clever API origin (default ${DEFAULT-VALUE}); plain http only for loopback hosts")
    String cleverUrl;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "the district's bearer token; other users can read it in the process list, so prefer env CLEVER_TOKEN or --token-file")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "read the bearer token from FILE (its first line)")
    Path tokenFile;

    @Option(names = "--plugin-setting", paramLabel = "ID.KEY=VALUE",
            description = "a setting for one plugin, e.g. springfield.districts=DISTRICT_ID (repeatable)")
    List<String> pluginSettings = new ArrayList<>();

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
        SyncEngine.Builder builder = SyncEngine.builder()
                .cleverUrl(cleverUrl)
                .token(Tokens.resolve(token, tokenFile, System.getenv("CLEVER_TOKEN")))
                .store(store.config())
                .rulesDirectory(rules)
                .policiesFile(policies)
                .pluginDirectory(plugins);
        PluginSettings.apply(pluginSettings, builder);
        return builder;
    }
}
