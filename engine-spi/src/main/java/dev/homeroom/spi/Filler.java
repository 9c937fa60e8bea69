package dev.homeroom.spi;

import org.apiguardian.api.API;

/** A temporary value a rule put in place of missing data (e.g. a filler dob); replaced when real data arrives. */
@API(status = API.Status.STABLE)
public record Filler(RecordKind kind, String cleverId, String field, String value, String ruleId, String reason) {
    public Filler {
        reason = reason == null ? "" : reason;
    }
}
