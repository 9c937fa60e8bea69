package dev.homeroom.engine.internal.clever;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.CleverEvent;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.CleverId;
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
    /** Reads envelopes: nesting is bounded per record by {@link #copyRecord}, not by Jackson's page-wide default. */
    private final JsonFactory envelopeFactory;
    private final Set<String> droppedStudentFields;
    /** {@link #droppedStudentFields} by {@link #normalizedFieldName}. */
    private final Set<String> droppedNormalized;

    CleverJson(Set<String> droppedStudentFields) {
        this.mapper = newMapper();
        this.envelopeFactory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_PAGE_DEPTH).build())
                .build();
        this.droppedStudentFields = Set.copyOf(droppedStudentFields);
        this.droppedNormalized = droppedStudentFields.stream().map(CleverJson::normalizedFieldName)
                .filter(n -> !n.isEmpty()).collect(Collectors.toUnmodifiableSet());
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

    /** Receives each item of {@code data[]}: its inner object, or why it could not be read. */
    interface ItemHandler {
        void item(ObjectNode data);

        /**
         * An item that could not be read (not an object, nested too deep, invalid UTF-8); the rest of the page goes on.
         *
         * @param position the item's index in the page's {@code data[]}
         * @param id the id of its inner object when it could be seen, else null
         */
        void unreadable(int position, String id, String reason);
    }

    /**
     * How deep a record may nest (its own object is level 1). Clever's records nest four or five levels; anything this
     * deep is not a record the engine could use, and refusing it early keeps the binder away from deep recursion.
     */
    static final int MAX_RECORD_DEPTH = 64;

    /**
     * How deep the page as a whole may nest before it is refused whole. Items deeper than {@link #MAX_RECORD_DEPTH} are
     * only skipped (never bound), so this bounds just the parser's bookkeeping (a few dozen bytes a level).
     */
    static final int MAX_PAGE_DEPTH = 1_000_000;

    /**
     * Streams {@code {"data":[{"data":{...},"uri":...}],"links":[...]}}, handing each inner {@code data} object to
     * {@code handler}. Returns the {@code next} link's URI, or null on the last page.
     *
     * <p>Each item is read in isolation: an item that is not an object, nests deeper than {@link #MAX_RECORD_DEPTH} or
     * holds bytes that are not UTF-8 goes to {@link ItemHandler#unreadable} and the page's other items are still read.
     * Only a body that is not a whole envelope (truncated, not JSON) fails the page.
     */
    String readEnvelope(InputStream body, ItemHandler handler) throws IOException {
        String next = null;
        boolean sawData = false;
        Utf8TrackingReader text = new Utf8TrackingReader(body);
        try (JsonParser p = envelopeFactory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedPageException("response is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(field) && value == JsonToken.START_ARRAY) {
                    sawData = true;
                    int position = 0;
                    JsonToken item;
                    while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (item == null) {
                            throw new MalformedPageException("response JSON ended inside data[]");
                        }
                        readItem(p, text, position++, handler);
                    }
                } else if ("data".equals(field) && value == JsonToken.START_OBJECT) {
                    // Single-resource envelope: {"data":{...},"links":[...]}.
                    sawData = true;
                    long start = p.currentTokenLocation().getCharOffset();
                    deliver(p, text, 0, copyRecord(p), start, handler);
                } else if ("links".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode link = mapper.readTree(p);
                        if ("next".equals(link.path("rel").asText(null))) {
                            next = link.path("uri").asText(null);
                        }
                    }
                    if (p.currentToken() != JsonToken.END_ARRAY) {
                        throw new MalformedPageException("links[] holds something other than link objects");
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

    /** One item of {@code data[]}, at its first token: {@code {"data":{...},"uri":...}} is the expected shape. */
    private void readItem(JsonParser p, Utf8TrackingReader text, int position, ItemHandler handler) throws IOException {
        long start = p.currentTokenLocation().getCharOffset();
        JsonToken first = p.currentToken();
        if (first != JsonToken.START_OBJECT) {
            p.skipChildren();
            handler.unreadable(position, null, "data[" + position + "] is " + describe(first) + ", not an object");
            return;
        }
        Copied record = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("data".equals(field) && value == JsonToken.START_OBJECT && record == null) {
                record = copyRecord(p);
            } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                skipDeep(p);
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new MalformedPageException("response JSON ended inside data[" + position + "]");
        }
        // An item without an object is reported by the handler as a record without an id.
        deliver(p, text, position, record == null ? new Copied(null, null, null) : record, start, handler);
    }

    private void deliver(JsonParser p, Utf8TrackingReader text, int position, Copied record, long start, ItemHandler handler)
            throws IOException {
        long end = p.currentLocation().getCharOffset();
        String problem = record.problem;
        if (problem == null && text.malformedBetween(start, end)) {
            problem = "it holds bytes that are not valid UTF-8 text";
        }
        if (problem != null) {
            handler.unreadable(position, record.id, "data[" + position + "] could not be read: " + problem);
        } else if (record.tokens == null) {
            handler.item(mapper.createObjectNode());
        } else {
            try (JsonParser tokens = record.tokens.asParser()) {
                tokens.nextToken();
                handler.item((ObjectNode) mapper.readTree(tokens));
            }
        }
    }

    /** The record object at the parser's START_OBJECT, its id, and why it cannot be used (too deep), if so. */
    private record Copied(TokenBuffer tokens, String id, String problem) {}

    /**
     * Copies the record the parser is at (on its START_OBJECT) token by token, remembering its top-level {@code id}.
     * Past {@link #MAX_RECORD_DEPTH} the copy is dropped and the rest of the record only skipped, still watching for
     * the id, so a record of any depth ends as one handled error with its id.
     */
    private Copied copyRecord(JsonParser p) throws IOException {
        TokenBuffer buffer = new TokenBuffer(p, null);
        buffer.copyCurrentEvent(p);
        String id = null;
        int depth = 1;
        boolean tooDeep = false;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new MalformedPageException("response JSON ended inside a record");
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
                if (depth > MAX_RECORD_DEPTH) {
                    tooDeep = true;
                }
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            } else if (depth == 1 && t.isScalarValue() && "id".equals(p.currentName()) && id == null) {
                id = p.getText();
            }
            if (!tooDeep) {
                buffer.copyCurrentEvent(p);
            }
        }
        return tooDeep
                ? new Copied(null, id, "it nests deeper than " + MAX_RECORD_DEPTH + " levels")
                : new Copied(buffer, id, null);
    }

    /** Skips the container the parser is at without Jackson's recursion: any depth up to {@link #MAX_PAGE_DEPTH}. */
    private static void skipDeep(JsonParser p) throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new MalformedPageException("response JSON ended inside a value");
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            }
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(t);
        };
    }

    /** Accumulates one page of records; duplicates within the page are reported, not delivered twice. */
    final class RecordPage implements ItemHandler {
        final RecordKind kind;
        final List<FetchedRecord> records = new ArrayList<>();
        final List<RecordProblem> problems = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private int position;
        /** The id of the page's last item that had one: where the next page starts. */
        String lastId;

        RecordPage(RecordKind kind) {
            this.kind = kind;
        }

        @Override
        public void item(ObjectNode node) {
            int at = position++;
            String id = node.path("id").asText(null);
            if (id != null && !id.isBlank()) {
                lastId = id;
            }
            if (id == null || id.isBlank()) {
                problems.add(new RecordProblem(kind, null, "data[" + at + "]: missing id"));
                return;
            }
            if (!CleverId.isValid(id)) {
                problems.add(new RecordProblem(kind, null, "data[" + at + "] was not read: " + CleverId.problem(id)));
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

        @Override
        public void unreadable(int at, String id, String reason) {
            position = at + 1;
            if (id != null && !id.isBlank()) {
                lastId = id;
            }
            if (id != null && !CleverId.isValid(id)) {
                reason = reason + "; and " + CleverId.problem(id);
                id = null;
            }
            problems.add(new RecordProblem(kind, id, reason));
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
    final class EventPage implements ItemHandler {
        final List<CleverEvent> events = new ArrayList<>();
        final List<RecordProblem> problems = new ArrayList<>();
        final Set<RecordKind> wanted;
        String lastId;
        long skipped;

        EventPage(Set<RecordKind> wanted) {
            this.wanted = wanted;
        }

        @Override
        public void unreadable(int position, String id, String reason) {
            // the event's own id: the cursor moves past it, so one unreadable event is reported once, not every run
            if (id != null && !id.isBlank()) {
                lastId = id;
            }
            problems.add(new RecordProblem(null, null, (id == null ? "" : "event " + id + ": ") + reason));
        }

        @Override
        public void item(ObjectNode event) {
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
            if (!CleverId.isValid(objectId)) {
                problems.add(new RecordProblem(kind, null, "event " + id + " was not read: " + CleverId.problem(objectId)));
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

    /**
     * Removes sensitive fields before anything else sees them, wherever they are: at the top of the record, under any
     * role (student, teacher, contact, staff), in {@code ext} objects at any depth, in objects inside arrays. A key is
     * matched by its normalized name (letters and digits, lower case), so {@code IEP_Status}, {@code iepStatus} and
     * {@code iep-status} all go. Iterative, so a deep record cannot overflow the stack.
     */
    private void dropSensitive(RecordKind kind, ObjectNode node) {
        if (droppedNormalized.isEmpty()) {
            return;
        }
        java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>();
        pending.push(node);
        while (!pending.isEmpty()) {
            JsonNode current = pending.pop();
            if (current instanceof ObjectNode object) {
                List<String> drop = new ArrayList<>();
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    if (droppedNormalized.contains(normalizedFieldName(field.getKey()))) {
                        drop.add(field.getKey());
                    } else if (field.getValue().isContainerNode()) {
                        pending.push(field.getValue());
                    }
                }
                object.remove(drop);
            } else if (current.isArray()) {
                for (JsonNode element : current) {
                    if (element.isContainerNode()) {
                        pending.push(element);
                    }
                }
            }
        }
    }

    /** A field name as sensitive fields are matched: its letters and digits, lower case ({@code IEP_Status} → {@code iepstatus}). */
    static String normalizedFieldName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
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
