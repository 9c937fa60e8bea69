package dev.homeroom.engine.internal.clever;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.CleverEvent;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads Clever's envelopes as a stream and binds each object to the model, one object at a time, so memory holds at most
 * one page of bound records. Objects that cannot be bound become {@link RecordProblem}s; a page whose JSON is broken
 * (truncated, not an envelope) fails whole with an {@link IOException} so it is fetched again.
 */
public final class CleverJson {
    private static final int MAX_REASON = 240;

    private final JsonMapper mapper;
    private final Set<String> droppedStudentFields;

    CleverJson(Set<String> droppedStudentFields) {
        this.mapper = newMapper();
        this.droppedStudentFields = Set.copyOf(droppedStudentFields);
    }

    public static JsonMapper newMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.INDENT_OUTPUT)
                // Sorted keys: the same content always serialises (and hashes) the same, whatever order Clever used.
                .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
                // ASCII-only payloads: a lone surrogate or a NUL in a name survives as a JSON escape in any database's text
                // column (PostgreSQL cannot store U+0000 and its driver turns a lone surrogate into '?')
                .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
                .propertyNamingStrategy(new CleverNaming())
                .addModule(new JavaTimeModule())
                .build();
    }

    JsonMapper mapper() {
        return mapper;
    }

    /** Thrown when a body is JSON but not a Clever list envelope; the page is fetched again. */
    static final class MalformedPageException extends IOException {
        MalformedPageException(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    interface ItemHandler {
        void item(ObjectNode data);
    }

    /**
     * Streams {@code {"data":[{"data":{...},"uri":...}],"links":[...]}}, handing each inner {@code data} object to
     * {@code handler}. Returns the {@code next} link's URI, or null on the last page.
     */
    String readEnvelope(InputStream body, ItemHandler handler) throws IOException {
        String next = null;
        boolean sawData = false;
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedPageException("response is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(field) && value == JsonToken.START_ARRAY) {
                    sawData = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        readItem(p, handler);
                    }
                } else if ("data".equals(field) && value == JsonToken.START_OBJECT) {
                    // Single-resource envelope: {"data":{...},"links":[...]}.
                    sawData = true;
                    JsonNode node = mapper.readTree(p);
                    handler.item((ObjectNode) node);
                } else if ("links".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        JsonNode link = mapper.readTree(p);
                        if ("next".equals(link.path("rel").asText(null))) {
                            next = link.path("uri").asText(null);
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new MalformedPageException("response JSON ended unexpectedly");
            }
            if (p.nextToken() != null) {
                throw new MalformedPageException("unexpected content after the response JSON");
            }
        }
        if (!sawData) {
            throw new MalformedPageException("response has no data array");
        }
        return next;
    }

    private void readItem(JsonParser p, ItemHandler handler) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new MalformedPageException("data item is not an object");
        }
        ObjectNode data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("data".equals(field) && value == JsonToken.START_OBJECT) {
                data = (ObjectNode) mapper.readTree(p);
            } else {
                p.skipChildren();
            }
        }
        // An item without an object is reported by the handler as a record without an id.
        handler.item(data == null ? mapper.createObjectNode() : data);
    }

    /** Accumulates one page of records; duplicates within the page are reported, not delivered twice. */
    final class RecordPage {
        final RecordKind kind;
        final List<FetchedRecord> records = new ArrayList<>();
        final List<RecordProblem> problems = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();

        RecordPage(RecordKind kind) {
            this.kind = kind;
        }

        void add(ObjectNode node) {
            String id = node.path("id").asText(null);
            if (id == null || id.isBlank()) {
                problems.add(new RecordProblem(kind, null, "missing id"));
                return;
            }
            if (!ids.add(id)) {
                problems.add(new RecordProblem(kind, id, "duplicate id in the same page; kept the first"));
                return;
            }
            try {
                FetchedRecord record = bind(kind, node);
                records.add(record);
            } catch (IOException | IllegalArgumentException e) {
                ids.remove(id);
                problems.add(new RecordProblem(kind, id, describe(e)));
            }
        }
    }

    RecordPage newPage(RecordKind kind) {
        return new RecordPage(kind);
    }

    /** Drops sensitive fields, serialises, then binds. Mutates {@code node}. */
    FetchedRecord bind(RecordKind kind, ObjectNode node) throws IOException {
        dropSensitive(kind, node);
        String json = mapper.writeValueAsString(node);
        normaliseForBinding(kind, node);
        CleverRecord record = mapper.treeToValue(node, recordClass(kind));
        return new FetchedRecord(record, json);
    }

    /** Accumulates one page of events; unsupported types (resources) are skipped but still move the cursor. */
    final class EventPage {
        final List<CleverEvent> events = new ArrayList<>();
        final List<RecordProblem> problems = new ArrayList<>();
        final Set<RecordKind> wanted;
        String lastId;
        long skipped;

        EventPage(Set<RecordKind> wanted) {
            this.wanted = wanted;
        }

        void add(ObjectNode event) {
            String id = event.path("id").asText(null);
            if (id != null && !id.isBlank()) {
                lastId = id;
            }
            String type = event.path("type").asText("");
            int dot = type.lastIndexOf('.');
            RecordKind kind = dot < 0 ? null : kindOf(type.substring(0, dot));
            if (kind == null || (!wanted.isEmpty() && !wanted.contains(kind))) {
                skipped++;
                return;
            }
            JsonNode payload = event.path("data");
            JsonNode object = payload.path("object");
            String objectId = object.path("id").asText(null);
            Change change = switch (type.substring(dot + 1)) {
                case "created" -> Change.CREATED;
                case "updated" -> Change.UPDATED;
                case "deleted" -> Change.GONE;
                default -> null;
            };
            if (change == null) {
                problems.add(new RecordProblem(kind, objectId, "unknown event type " + type + " in event " + id));
                return;
            }
            if (id == null || id.isBlank()) {
                problems.add(new RecordProblem(kind, objectId, "event without id"));
                return;
            }
            if (!(object instanceof ObjectNode objectNode) || objectId == null || objectId.isBlank()) {
                problems.add(new RecordProblem(kind, objectId, "event " + id + " has no object with an id"));
                return;
            }
            // The live API nests previous_attributes inside data (NOTES.md 0.2); the spec's event-level place is a fallback.
            JsonNode previous = payload.path("previous_attributes");
            if (!previous.isObject()) {
                previous = event.path("previous_attributes");
            }
            try {
                Map<String, Object> previousAttributes = Map.of();
                if (previous instanceof ObjectNode previousNode) {
                    dropSensitive(kind, previousNode);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = mapper.convertValue(previousNode, Map.class);
                    previousAttributes = map;
                }
                FetchedRecord record = bind(kind, objectNode);
                events.add(new CleverEvent(id, type, event.path("created").asText(null), kind, change, record.record(),
                        record.json(), previousAttributes));
            } catch (IOException | IllegalArgumentException e) {
                problems.add(new RecordProblem(kind, objectId, "event " + id + ": " + describe(e)));
            }
        }
    }

    EventPage newEventPage(Set<RecordKind> wanted) {
        return new EventPage(wanted);
    }

    private static RecordKind kindOf(String path) {
        for (RecordKind kind : RecordKind.values()) {
            if (kind.path().equals(path)) {
                return kind;
            }
        }
        return null;
    }

    static Class<? extends CleverRecord> recordClass(RecordKind kind) {
        return kind.recordType();
    }

    /** Removes sensitive student fields (typed and in the student's {@code ext}) before anything else sees them. */
    private void dropSensitive(RecordKind kind, ObjectNode node) {
        if (kind != RecordKind.USER || droppedStudentFields.isEmpty()) {
            return;
        }
        if (node.path("roles").path("student") instanceof ObjectNode student) {
            student.remove(droppedStudentFields);
            if (student.path("ext") instanceof ObjectNode ext) {
                ext.remove(droppedStudentFields);
            }
        }
    }

    /** Shapes the JSON where the model keeps a simpler type than the wire: done after the JSON was serialised. */
    private void normaliseForBinding(RecordKind kind, ObjectNode node) {
        if (kind == RecordKind.USER && node.path("roles").path("student") instanceof ObjectNode student) {
            // v3.1 sends disability and preferred_name as objects; the model keeps them as their JSON text.
            for (String field : List.of("disability", "preferred_name")) {
                JsonNode value = student.get(field);
                if (value != null && value.isContainerNode()) {
                    student.set(field, new TextNode(value.toString()));
                }
            }
        } else if (kind == RecordKind.TERM) {
            // Real term dates are YYYY-MM-DD; tolerate the spec's datetime and an empty string.
            for (String field : List.of("start_date", "end_date")) {
                JsonNode value = node.get(field);
                if (value != null && !value.isNull() && !value.isTextual()) {
                    // a number would bind as a day count since 1970 (20260730 → year 57441): refuse the record instead
                    throw new IllegalArgumentException(field + ": expected a date YYYY-MM-DD, got " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                            + " " + abbreviate(value.toString()));
                }
                if (value != null && value.isTextual()) {
                    String text = value.asText().strip();
                    if (text.isEmpty()) {
                        node.putNull(field);
                    } else if (text.length() > 10 && text.charAt(10) == 'T') {
                        node.put(field, text.substring(0, 10));
                    }
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    static String describe(Exception e) {
        String reason;
        if (e instanceof JsonMappingException m) {
            String path = m.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String message = m.getOriginalMessage() == null ? m.getClass().getSimpleName() : m.getOriginalMessage();
            reason = (path.isEmpty() ? "" : path + ": ") + message;
        } else {
            reason = String.valueOf(e.getMessage());
        }
        reason = reason.replace('\n', ' ').replace('\r', ' ');
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
    }

    /** snake_case, except Clever writes {@code section_504_status} where plain snake_case gives {@code section504_status}. */
    static final class CleverNaming extends PropertyNamingStrategies.SnakeCaseStrategy {
        private static final long serialVersionUID = 1L;

        @Override
        public String translate(String input) {
            if ("section504Status".equals(input)) {
                return "section_504_status";
            }
            return super.translate(input);
        }
    }
}
