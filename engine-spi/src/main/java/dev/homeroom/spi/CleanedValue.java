package dev.homeroom.spi;

import org.apiguardian.api.API;

/** A value a rule cleaned (trimmed, truncated, stripped of control characters, generated); used instead of Clever's. */
@API(status = API.Status.STABLE)
public record CleanedValue(RecordKind kind, String cleverId, String field, String value, String ruleId, String reason) {
    public CleanedValue {
        reason = reason == null ? "" : reason;
    }
}
