package dev.homeroom.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How a run of one district ended. {@code status} is {@code SUCCEEDED}, {@code SUCCEEDED_WITH_WARNINGS}, {@code PLANNED}
 * (a dry run), {@code HALTED} (a safety guard: nothing applied) or {@code FAILED} ({@code failure} says why);
 * {@code skippedByRule} counts the records each rule decided against, {@code deactivatedByRule} the provisioned records
 * each rule took out of service.
 *
 * @since SPI 1.1
 */
@API(status = API.Status.EXPERIMENTAL)
public record RunEnd(String runId, String districtId, String mode, String status, Instant startedAt, Instant finishedAt,
                     long warnings, long errors, Map<String, Long> skippedByRule, Map<String, Long> deactivatedByRule,
                     String failure) {
    public RunEnd {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        skippedByRule = Immutables.map(skippedByRule);
        deactivatedByRule = Immutables.map(deactivatedByRule);
    }

    public boolean failed() {
        return "FAILED".equals(status);
    }
}
