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
                // every field the policy catalog calls sensitive is dropped at the door unless the product enabled it (P20)
                .droppedStudentFields(dropped(keptSensitiveFields))
                .build();
    }

    private static Set<String> dropped(Set<String> kept) {
        Set<String> dropped = new java.util.LinkedHashSet<>(CleverClientConfig.DEFAULT_DROPPED_STUDENT_FIELDS);
        dropped.addAll(dev.homeroom.rules.PolicyCatalog.SENSITIVE_FIELDS);
        dropped.removeAll(kept);
        return dropped;
    }

    public CleverClient open() {
        return new CleverClient(config);
    }

    public CleverClientConfig config() {
        return config;
    }
}
