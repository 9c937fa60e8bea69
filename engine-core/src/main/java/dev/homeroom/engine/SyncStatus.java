package dev.homeroom.engine;

import org.apiguardian.api.API;

/** How a run ended. */
@API(status = API.Status.STABLE)
public enum SyncStatus {
    SUCCEEDED,
    SUCCEEDED_WITH_WARNINGS,
    /** A safety guard stopped the run before applying; nothing was applied. {@link SyncEngine#approve} continues it. */
    HALTED,
    FAILED,
    /** A dry run: what would change, nothing applied. */
    PLANNED
}
