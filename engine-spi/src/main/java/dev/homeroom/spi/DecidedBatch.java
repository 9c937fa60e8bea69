package dev.homeroom.spi;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The decisions of one decide batch of a run (up to the engine's batch size, 5,000 by default), all of one kind.
 *
 * @since SPI 1.2
 */
@API(status = API.Status.EXPERIMENTAL)
public record DecidedBatch(String runId, String districtId, RecordKind kind, List<DecidedRecord> decisions) {
    public DecidedBatch {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(kind, "kind");
        decisions = Immutables.list(decisions);
    }
}
