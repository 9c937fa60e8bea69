package dev.homeroom.spi;

import org.apiguardian.api.API;

/** What the engine decided for one record. */
@API(status = API.Status.STABLE)
public enum Outcome {
    PROVISIONED,
    SKIPPED,
    DEACTIVATED,
    /** A handled error: not provisioned, retried when the data changes. */
    ERROR;

    /** When several rules decide one record, the outcome with the highest weight wins. */
    public int weight() {
        return switch (this) {
            case PROVISIONED -> 0;
            case SKIPPED -> 1;
            case ERROR -> 2;
            case DEACTIVATED -> 3;
        };
    }
}
