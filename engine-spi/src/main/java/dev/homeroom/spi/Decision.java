package dev.homeroom.spi;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A rule's verdict on one record: the outcome, the stable id of the rule that made it and a human reason.
 * Rules insert these; they never modify input facts.
 */
@API(status = API.Status.STABLE)
public record Decision(RecordKind kind, String cleverId, Outcome outcome, String ruleId, String reason) {
    public Decision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cleverId, "cleverId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(ruleId, "ruleId");
        reason = reason == null ? "" : reason;
    }
}
