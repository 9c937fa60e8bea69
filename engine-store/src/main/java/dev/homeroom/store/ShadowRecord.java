package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.PackedText;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One fetched Clever record as the shadow keeps it: its JSON payload as Clever sent it and a content hash, plus a few
 * fields copied out so that the derive step can join in SQL ({@code emailKey} is the lower-cased email; {@code ref*}
 * point at other records; {@code sectionSubject} and {@code sectionGrade} are a section's, for the console's filters).
 * When a district plugin changed the record, {@code pluginPayload} is the record as the plugins made it (what the rules
 * decide, and what the copied-out fields come from) and {@code pluginChanges} what each plugin changed (for
 * {@code explain}); both are null otherwise. {@code packedPayload} is {@code payload} packed already ({@link #pack}),
 * or null for the store to pack it.
 */
@API(status = API.Status.INTERNAL)
public record ShadowRecord(RecordKind kind, String cleverId, String contentHash, String payload,
                           String emailKey, String sisId, String label,
                           String refTerm, String refCourse, String refTeacher, String refSchool,
                           String sectionSubject, String sectionGrade, String pluginPayload, String pluginChanges,
                           byte[] packedPayload) {
    public ShadowRecord {
        Objects.requireNonNull(cleverId, "cleverId");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(payload, "payload");
    }

    /** A record no plugin changed. */
    public ShadowRecord(RecordKind kind, String cleverId, String contentHash, String payload, String emailKey, String sisId,
                        String label, String refTerm, String refCourse, String refTeacher, String refSchool) {
        this(kind, cleverId, contentHash, payload, emailKey, sisId, label, refTerm, refCourse, refTeacher, refSchool, null, null, null, null,
                null);
    }

    /** {@code payload} as the shadow stores it ({@code clever_record.body}): for a caller that packs off the store's thread. */
    public static byte[] pack(String payload) {
        return PackedText.pack(payload);
    }

    /** This record with its payload packed already ({@link #pack}); the store packs it otherwise. */
    public ShadowRecord withPackedPayload(byte[] packed) {
        return new ShadowRecord(kind, cleverId, contentHash, payload, emailKey, sisId, label, refTerm, refCourse, refTeacher, refSchool,
                sectionSubject, sectionGrade, pluginPayload, pluginChanges, packed);
    }

    /** This record as the district's plugins changed it: their JSON and what each changed, under the hash of both. */
    public ShadowRecord changedByPlugins(String hash, String pluginPayload, String pluginChanges) {
        return new ShadowRecord(kind, cleverId, hash, payload, emailKey, sisId, label, refTerm, refCourse, refTeacher, refSchool,
                sectionSubject, sectionGrade, pluginPayload, pluginChanges, packedPayload);
    }
}
