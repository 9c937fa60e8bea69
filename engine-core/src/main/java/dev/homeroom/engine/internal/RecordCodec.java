package dev.homeroom.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.internal.clever.CleverJson;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.RecordKind;

/** Reads shadow payloads back into model records, and writes records a plugin changed, with the client's JSON mapping. */
final class RecordCodec {
    private RecordCodec() {}

    static ObjectMapper mapper() {
        return CleverJson.newMapper();
    }

    static CleverRecord read(ObjectMapper mapper, RecordKind kind, String json) {
        try {
            return mapper.readValue(json, kind.recordType());
        } catch (JsonProcessingException e) {
            throw new SyncPipeline.JsonFailure("cannot read a stored " + kind.label() + " back: " + e.getOriginalMessage(), e);
        }
    }

    /** Sorted keys, like the client's payloads, so the same content always hashes the same. */
    static String toJson(ObjectMapper mapper, CleverRecord record) {
        try {
            return mapper.writeValueAsString(mapper.valueToTree(record));
        } catch (JsonProcessingException e) {
            throw new SyncPipeline.JsonFailure("cannot write a " + record.kind().label() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
