package dev.homeroom.engine.internal;

import dev.homeroom.engine.internal.clever.CleverClient;
import dev.homeroom.engine.internal.clever.CleverClientConfig;
import java.util.Set;

/** Opens a Clever client for a run, with the token and settings the engine was built with. */
public final class CleverClients {
    private final CleverClientConfig config;
    private final java.time.Duration runTimeout;

    public CleverClients(EngineSettings settings, Set<String> keptSensitiveFields) {
        this.config = CleverClientConfig.builder()
                .baseUrl(settings.cleverUrl())
                .token(settings.token())
                .pageLimit(settings.pageLimit())
                .maxRetries(settings.maxRetries())
                // every field the policy catalog calls sensitive is dropped at the door unless the product enabled it (P20)
                .droppedStudentFields(dropped(keptSensitiveFields))
                .callTimeout(settings.callTimeout())
                .build();
        this.runTimeout = settings.runTimeout();
    }

    private static Set<String> dropped(Set<String> kept) {
        Set<String> dropped = new java.util.LinkedHashSet<>(CleverClientConfig.DEFAULT_DROPPED_STUDENT_FIELDS);
        dropped.addAll(dev.homeroom.rules.PolicyCatalog.SENSITIVE_FIELDS);
        dropped.removeAll(kept);
        return dropped;
    }

    /** A client for one run: its deadline is {@code runTimeout} from now. */
    public CleverClient open() {
        return new CleverClient(config.toBuilder().deadline(config.clock().instant().plus(runTimeout)).build());
    }

    public CleverClientConfig config() {
        return config;
    }
}
