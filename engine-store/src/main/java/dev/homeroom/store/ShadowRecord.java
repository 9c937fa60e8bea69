package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One fetched Clever record as the shadow keeps it: its JSON payload and content hash, plus a few fields copied out so
 * that the derive step can join in SQL ({@code emailKey} is the lower-cased email; {@code ref*} point at other records).
 */
@API(status = API.Status.INTERNAL)
public record ShadowRecord(RecordKind kind, String cleverId, String contentHash, String payload,
                           String emailKey, String sisId, String label,
                           String refTerm, String refCourse, String refTeacher, String refSchool) {
    public ShadowRecord {
        Objects.requireNonNull(cleverId, "cleverId");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(payload, "payload");
    }
}
