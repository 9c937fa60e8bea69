package dev.homeroom.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.spi.CleverRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What each district plugin's transformers changed in a record, field by field (dotted paths such as {@code name} or
 * {@code roles.student.grade}), kept beside Clever's payload in the shadow so that {@code explain} can show Clever's
 * value and each plugin's.
 */
final class PluginChanges {
    /** One field one plugin changed: the value before the plugin ran (Clever's, unless an earlier plugin changed it) and after. */
    record Change(String plugin, String field, String before, String after) {}

    private static final TypeReference<List<Change>> LIST = new TypeReference<>() {};

    private PluginChanges() {}

    /** The fields {@code plugin} changed from {@code before} to {@code after}. */
    static List<Change> diff(ObjectMapper mapper, String plugin, CleverRecord before, CleverRecord after) {
        List<Change> out = new ArrayList<>();
        diff(plugin, "", mapper.valueToTree(before), after == null ? null : mapper.valueToTree(after), out);
        return out;
    }

    private static void diff(String plugin, String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            for (String name : names) {
                diff(plugin, path.isEmpty() ? name : path + "." + name, a.get(name), b.get(name), out);
            }
            return;
        }
        boolean aMissing = a == null || a.isNull();
        boolean bMissing = b == null || b.isNull();
        if (aMissing && bMissing || !aMissing && a.equals(b)) {
            return;
        }
        out.add(new Change(plugin, path, aMissing ? null : text(a), bMissing ? null : text(b)));
    }

    private static String text(JsonNode n) {
        return n.isValueNode() ? n.asText() : n.toString();
    }

    static String encode(ObjectMapper mapper, List<Change> changes) {
        try {
            return mapper.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new SyncPipeline.JsonFailure("cannot write a plugin's changes: " + e.getOriginalMessage(), e);
        }
    }

    static List<Change> decode(ObjectMapper mapper, String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        try {
            return mapper.readValue(text, LIST);
        } catch (JsonProcessingException e) {
            throw new SyncPipeline.JsonFailure("cannot read a plugin's stored changes: " + e.getOriginalMessage(), e);
        }
    }
}
