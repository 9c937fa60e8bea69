package dev.homeroom.spi;

import org.apiguardian.api.API;

/** A flag on a provisioned account, e.g. {@code NO_CLASSES} for a classless user provisioned with a limited experience (P1). */
@API(status = API.Status.STABLE)
public record AccountFlag(String cleverId, String flag, String ruleId, String reason) {
    public AccountFlag {
        reason = reason == null ? "" : reason;
    }
}
