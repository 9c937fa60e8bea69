package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.config;
import static dev.homeroom.engine.internal.clever.CleverFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.engine.internal.clever.CleverFixtures.Collector;
import dev.homeroom.engine.internal.clever.CleverFixtures.RecordingSleeper;
import dev.homeroom.spi.CleverEvent;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.User;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 9: a sensitive field is dropped wherever it appears and however it is spelled: at the top of the
 * record, under every role, in {@code ext} at any depth, in objects inside arrays, in case and separator variants, in
 * list pages and in events (object and previous attributes). Each field is sent in each place.
 */
class CleverSensitiveFieldsTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = CleverJson.newMapper();
    /** Every field the engine drops by default (P20 and the policy catalog). */
    private static final Set<String> SENSITIVE;

    static {
        Set<String> all = new LinkedHashSet<>(CleverClientConfig.DEFAULT_DROPPED_STUDENT_FIELDS);
        all.addAll(dev.homeroom.rules.PolicyCatalog.SENSITIVE_FIELDS);
        SENSITIVE = Set.copyOf(all);
    }

    /** Where a field may sit in a user record: each takes the record and returns the object to put it in. */
    private static final Map<String, Function<ObjectNode, ObjectNode>> PLACES = Map.ofEntries(
            Map.entry("top level", u -> u),
            Map.entry("roles.student", u -> (ObjectNode) u.with("roles").with("student")),
            Map.entry("roles.student.ext", u -> (ObjectNode) u.with("roles").with("student").with("ext")),
            Map.entry("roles.student.ext nested", u -> (ObjectNode) u.with("roles").with("student").with("ext").with("demographics").with("sis")),
            Map.entry("roles.teacher", u -> (ObjectNode) u.with("roles").with("teacher")),
            Map.entry("roles.teacher.ext", u -> (ObjectNode) u.with("roles").with("teacher").with("ext")),
            Map.entry("roles.contact", u -> (ObjectNode) u.with("roles").with("contact")),
            Map.entry("roles.staff.ext", u -> (ObjectNode) u.with("roles").with("staff").with("ext")),
            Map.entry("ext", u -> (ObjectNode) u.with("ext")),
            Map.entry("object in an array", u -> {
                ArrayNode list = u.with("roles").with("student").withArray("enrollments");
                return list.addObject().put("school", "5940d254203e37907e0000f0");
            }));

    private static List<String> spellings(String field) {
        String camel = java.util.regex.Pattern.compile("_([a-z0-9])").matcher(field).replaceAll(m -> m.group(1).toUpperCase());
        return List.of(field, field.toUpperCase(), camel, field.replace('_', '-'), Character.toUpperCase(field.charAt(0)) + field.substring(1));
    }

    private final MockWebServer server = new MockWebServer();
    private CleverClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        // the set the engine drops (CleverClients): the P20 defaults and the policy catalog's sensitive fields
        client = new CleverClient(config(server, new RecordingSleeper()).droppedStudentFields(SENSITIVE).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static ObjectNode user(String id) {
        ObjectNode u = MAPPER.createObjectNode().put("id", id).put("district", "d1").put("email", id + "@x.example");
        u.with("name").put("first", "A").put("last", "B");
        u.with("roles").with("student").put("grade", "5").with("ext").put("house", "Blue");
        return u;
    }

    private static List<String> keysIn(JsonNode node) {
        List<String> keys = new ArrayList<>();
        java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>(List.of(node));
        while (!pending.isEmpty()) {
            JsonNode n = pending.pop();
            if (n.isObject()) {
                n.properties().forEach(e -> {
                    keys.add(e.getKey());
                    pending.push(e.getValue());
                });
            } else if (n.isArray()) {
                n.forEach(pending::push);
            }
        }
        return keys;
    }

    private static List<JsonNode> valuesOfSensitiveKeys(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        java.util.ArrayDeque<JsonNode> pending = new java.util.ArrayDeque<>(List.of(node));
        while (!pending.isEmpty()) {
            JsonNode n = pending.pop();
            if (n.isObject()) {
                n.properties().forEach(e -> {
                    if (SENSITIVE_NORMALIZED.contains(normalized(e.getKey()))) {
                        values.add(e.getValue());
                    }
                    pending.push(e.getValue());
                });
            } else if (n.isArray()) {
                n.forEach(pending::push);
            }
        }
        return values;
    }

    private static String normalized(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static final Set<String> SENSITIVE_NORMALIZED = SENSITIVE.stream().map(CleverSensitiveFieldsTest::normalized)
            .collect(java.util.stream.Collectors.toSet());

    private static void assertNoSensitiveKey(String json) throws Exception {
        assertThat(keysIn(MAPPER.readTree(json))).noneMatch(k -> SENSITIVE_NORMALIZED.contains(normalized(k)));
    }

    @Test
    void everySensitiveFieldInEveryPlaceAndSpellingIsDroppedFromAListPage() throws Exception {
        ArrayNode data = MAPPER.createArrayNode();
        List<String> expectedIds = new ArrayList<>();
        int n = 0;
        for (String field : SENSITIVE) {
            for (String spelling : spellings(field)) {
                for (var place : PLACES.entrySet()) {
                    String id = String.format("u%023d", n++);
                    ObjectNode u = user(id);
                    place.getValue().apply(u).put(spelling, "Y");
                    data.addObject().set("data", u);
                    expectedIds.add(id);
                }
            }
        }
        ObjectNode page = MAPPER.createObjectNode();
        page.set("data", data);
        page.putArray("links");
        server.enqueue(json(MAPPER.writeValueAsString(page)));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.problems).isEmpty();
        assertThat(sink.ids()).containsExactlyElementsOf(expectedIds);
        for (FetchedRecord r : sink.records) {
            assertNoSensitiveKey(r.json());
            // the model has typed fields for some of them: present as keys, but empty
            JsonNode model = MAPPER.valueToTree(r.record());
            assertThat(valuesOfSensitiveKeys(model)).allMatch(JsonNode::isNull);
            // what is not sensitive stays
            assertThat(((User) r.record()).roles().student().ext()).containsEntry("house", "Blue");
        }
    }

    @Test
    void sensitiveFieldsAreDroppedFromEventObjectsAndTheirPreviousAttributes() throws Exception {
        ObjectNode object = user("u00000000000000000000001");
        ObjectNode previous = MAPPER.createObjectNode();
        for (String field : SENSITIVE) {
            object.put(field.toUpperCase(), "Y");
            object.with("roles").with("teacher").put(field, "Y");
            previous.with("roles").with("student").with("ext").put(field, "N");
            previous.put(field, "N");
        }
        ObjectNode event = MAPPER.createObjectNode().put("id", "e1").put("type", "users.updated").put("created", "2024-01-01T00:00:00Z");
        event.with("data").set("object", object);
        event.with("data").set("previous_attributes", previous);
        ObjectNode page = MAPPER.createObjectNode();
        page.putArray("data").addObject().set("data", event);
        page.putArray("links");
        server.enqueue(json(MAPPER.writeValueAsString(page)));
        List<CleverEvent> events = new ArrayList<>();

        client.fetchEvents(null, Set.of(), (e, problems) -> events.addAll(e));

        assertThat(events).singleElement().satisfies(e -> {
            try {
                assertNoSensitiveKey(e.objectJson());
                assertNoSensitiveKey(MAPPER.writeValueAsString(e.previousAttributes()));
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        });
    }

    @Test
    void aFieldTheProductKeepsIsKeptInEverySpelling() throws Exception {
        client.close();
        client = new CleverClient(config(server, new RecordingSleeper()).droppedStudentFields(SENSITIVE)
                .keepStudentFields(Set.of("iep_status")).build());
        ObjectNode u = user("u00000000000000000000009");
        u.with("roles").with("student").put("iep_status", "Y").put("IepStatus", "Y").put("ell_status", "Y");
        ObjectNode page = MAPPER.createObjectNode();
        page.putArray("data").addObject().set("data", u);
        page.putArray("links");
        server.enqueue(json(MAPPER.writeValueAsString(page)));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        JsonNode student = MAPPER.readTree(sink.records.get(0).json()).path("roles").path("student");
        assertThat(student.has("iep_status")).isTrue();
        assertThat(student.has("IepStatus")).isTrue();
        assertThat(student.has("ell_status")).isFalse();
    }
}
