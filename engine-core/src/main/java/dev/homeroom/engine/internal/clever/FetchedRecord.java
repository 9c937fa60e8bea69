package dev.homeroom.engine.internal.clever;

import dev.homeroom.spi.CleverRecord;
import java.util.Objects;

/**
 * One record as fetched: the bound model record and its JSON (sensitive fields already dropped, compact, keys sorted so
 * the same content always hashes the same whatever order Clever sent the fields in).
 */
public record FetchedRecord(CleverRecord record, String json) {
    public FetchedRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(json, "json");
    }
}
