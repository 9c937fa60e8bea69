package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One fetched Clever record as the shadow keeps it: its JSON payload as Clever sent it and a content hash, plus a few
 * fields copied out so that the derive step can join in SQL ({@code emailKey} is the lower-cased email; {@code ref*}
 * point at other records). When a district plugin changed the record, {@code pluginPayload} is the record as the plugins
 * made it (what the rules decide, and what the copied-out fields come from) and {@code pluginChanges} what each plugin
 * changed (for {@code explain}); both are null otherwise.
 */
@API(status = API.Status.INTERNAL)
public record ShadowRecord(RecordKind kind, String cleverId, String contentHash, String payload,
                           String emailKey, String sisId, String label,
                           String refTerm, String refCourse, String refTeacher, String refSchool,
                           String pluginPayload, String pluginChanges) {
    public ShadowRecord {
        Objects.requireNonNull(cleverId, "cleverId");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(payload, "payload");
    }

    /** A record no plugin changed. */
    public ShadowRecord(RecordKind kind, String cleverId, String contentHash, String payload, String emailKey, String sisId,
                        String label, String refTerm, String refCourse, String refTeacher, String refSchool) {
        this(kind, cleverId, contentHash, payload, emailKey, sisId, label, refTerm, refCourse, refTeacher, refSchool, null, null);
    }
}
