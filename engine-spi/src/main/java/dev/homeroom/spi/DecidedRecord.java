package dev.homeroom.spi;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One record's decision in a run, as a {@link RunListener} that {@linkplain RunListener#hearsDecisions() hears decisions}
 * gets it: the outcome, the rule that decided it with its reason, the outcome before this run (null for a record never
 * decided) and whether anything of the decision changed since the last run.
 *
 * @since SPI 1.2
 */
@API(status = API.Status.EXPERIMENTAL)
public record DecidedRecord(RecordKind kind, String cleverId, Outcome outcome, String ruleId, String reason, Outcome previousOutcome,
                            boolean changed) {
    public DecidedRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cleverId, "cleverId");
        Objects.requireNonNull(outcome, "outcome");
    }
}
