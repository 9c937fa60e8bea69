package dev.homeroom.engine.internal;

import dev.homeroom.engine.internal.clever.CleverClient;
import dev.homeroom.engine.internal.clever.CleverClientConfig;
import java.util.Set;

/** Opens a Clever client for a run, with the token and settings the engine was built with. */
public final class CleverClients {
    private final CleverClientConfig config;

    public CleverClients(EngineSettings settings, Set<String> keptSensitiveFields) {
        this.config = CleverClientConfig.builder()
                .baseUrl(settings.cleverUrl())
                .token(settings.token())
                .pageLimit(settings.pageLimit())
                .maxRetries(settings.maxRetries())
                .keepStudentFields(keptSensitiveFields)
                .build();
    }

    public CleverClient open() {
        return new CleverClient(config);
    }

    public CleverClientConfig config() {
        return config;
    }
}
