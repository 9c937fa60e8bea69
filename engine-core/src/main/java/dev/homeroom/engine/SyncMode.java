package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * A full run reads every shared record; an incremental run reads Clever's events from the stored cursor; a revert run
 * reads nothing from Clever and restores what another run changed ({@link SyncEngine#revert}).
 */
@API(status = API.Status.STABLE)
public enum SyncMode {
    FULL, INCREMENTAL, REVERT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
