package dev.homeroom.store;

import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import java.util.List;
import org.apiguardian.api.API;

/** A record's resolved decision: outcome, effective role, a hash of everything decided, and the details. */
@API(status = API.Status.INTERNAL)
public record DecisionState(RecordKind kind, String cleverId, Outcome outcome, String effectiveRole, String decisionHash,
                            List<DecisionDetail> details) {
    public DecisionState {
        details = List.copyOf(details);
    }
}
