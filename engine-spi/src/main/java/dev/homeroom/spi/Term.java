package dev.homeroom.spi;

import java.time.LocalDate;
import org.apiguardian.api.API;

/** A term. Clever sends its dates as plain {@code YYYY-MM-DD} (the spec's "datetime" is wrong). */
@API(status = API.Status.STABLE)
public record Term(String id, String district, String name, LocalDate startDate, LocalDate endDate) implements CleverRecord {
    @Override
    public RecordKind kind() {
        return RecordKind.TERM;
    }
}
