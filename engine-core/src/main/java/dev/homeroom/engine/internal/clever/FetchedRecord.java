package dev.homeroom.engine.internal.clever;

import dev.homeroom.spi.CleverRecord;
import java.util.Objects;

/**
 * One record as fetched: the bound model record and its JSON (sensitive fields already dropped, compact, keys sorted so
 * the same content always hashes the same whatever order Clever sent the fields in). {@code packedJson} is that JSON as
 * the shadow stores it, when the sink packed it on the thread that read the page ({@link PageSink#prepare}); else null.
 */
public record FetchedRecord(CleverRecord record, String json, byte[] packedJson) {
    public FetchedRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(json, "json");
    }

    public FetchedRecord(CleverRecord record, String json) {
        this(record, json, null);
    }

    public FetchedRecord withPackedJson(byte[] packed) {
        return new FetchedRecord(record, json, packed);
    }
}
