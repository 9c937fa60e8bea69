package dev.homeroom.spi;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The decisions of one run for one kind of record, once every record of it was decided: {@code fetched} records Clever
 * sent; of those provisioned, {@code created} are new, {@code updated} changed, {@code unchanged} did not;
 * {@code skipped} were decided against, {@code deactivated} went away or were decided off, {@code reactivated} came
 * back, {@code errors} are handled errors.
 *
 * @since SPI 1.1
 */
@API(status = API.Status.EXPERIMENTAL)
public record KindOutcome(String runId, RecordKind kind, long fetched, long created, long updated, long unchanged, long skipped,
                          long deactivated, long reactivated, long errors) {
    public KindOutcome {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(kind, "kind");
    }
}
