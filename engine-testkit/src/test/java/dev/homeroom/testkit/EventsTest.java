package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventsTest {

    @Test
    void noEventsBeforeTheFirstChange() throws Exception {
        try (CleverSimulator sim = CleverSimulator.builder().build().start()) {
            JsonNode page = new Api(sim).json("/v3.0/events");
            assertThat(page.get("data")).isEmpty();
        }
    }

    @Test
    void eventsDescribeTheDifferenceBetweenTwoStates() throws Exception {
        SyntheticDistrict before = SyntheticDistrict.demo();
        try (CleverSimulator sim = CleverSimulator.builder().district(before).build().start()) {
            Api api = new Api(sim);
            sim.advanceTo(before.next());
            Set<String> removed = Set.copyOf(sim.district().changes().get(Change.USER_REMOVED));

            List<JsonNode> items = new ArrayList<>();
            String next = "/v3.0/events?limit=10";
            while (next != null) {
                JsonNode page = api.json(next);
                page.get("data").forEach(items::add);
                next = Api.link(page, "next");
                if (next != null) assertThat(next).startsWith("/v3.0/events?limit=10&starting_after=");
            }
            assertThat(items).hasSize(sim.district().eventCount());
            for (JsonNode item : items) {
                JsonNode e = item.get("data");
                assertThat(item.get("uri").asText()).isEqualTo("/v3.0/events/" + e.get("id").asText());
                assertThat(e.get("data").has("object")).isTrue();
                assertThat(e.has("previous_attributes")).as("previous_attributes sits inside data").isFalse();
                if (e.get("type").asText().endsWith(".updated")) {
                    assertThat(e.get("data").get("previous_attributes").size()).isPositive();
                } else {
                    assertThat(e.get("data").has("previous_attributes")).isFalse();
                }
            }
            Set<String> types = items.stream().map(i -> i.get("data").get("type").asText()).collect(Collectors.toSet());
            assertThat(types).contains("users.created", "users.updated", "users.deleted", "sections.updated", "terms.created", "terms.deleted");
            List<String> ids = items.stream().map(i -> i.get("data").get("id").asText()).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();

            // deleted events carry the last object
            for (JsonNode item : items) {
                JsonNode e = item.get("data");
                if (e.get("type").asText().equals("users.deleted")) assertThat(removed).contains(e.at("/data/object/id").asText());
            }
            // a renamed user shows the old last name in previous_attributes.name.last
            String renamed = sim.district().changes().get(Change.USER_RENAMED).get(0);
            JsonNode update = items.stream().map(i -> i.get("data"))
                    .filter(e -> e.at("/data/object/id").asText().equals(renamed)).findFirst().orElseThrow();
            assertThat(update.at("/data/previous_attributes/name/last").asText())
                    .isEqualTo(before.record(renamed).orElseThrow().at("/name/last").asText());

            // record_type filter (repeatable) and school filter
            List<JsonNode> termsOnly = api.all("/v3.0/events?record_type=terms");
            assertThat(termsOnly).extracting(e -> e.get("type").asText()).containsExactly("terms.created", "terms.deleted");
            List<JsonNode> two = api.all("/v3.0/events?record_type=terms&record_type=users&limit=3");
            assertThat(two).allSatisfy(e -> assertThat(e.get("type").asText()).matches("(terms|users)\\..*"));
            JsonNode firstFiltered = api.json("/v3.0/events?record_type=users&limit=2");
            assertThat(Api.link(firstFiltered, "next")).startsWith("/v3.0/events?limit=2&record_type=users&starting_after=");
            String school = before.record(renamed).orElseThrow().at("/roles/student/school").asText();
            assertThat(api.all("/v3.0/events?school=" + school)).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.get("data").get("object").toString()).contains(school));

            // a cursor continues where it stopped
            String cursor = ids.get(ids.size() / 2);
            List<JsonNode> rest = api.all("/v3.0/events?starting_after=" + cursor);
            assertThat(rest).hasSize(ids.size() - ids.size() / 2 - 1);
            assertThat(api.json("/v3.0/events/" + cursor).get("data").get("id").asText()).isEqualTo(cursor);
        }
    }

    @Test
    void laterStatesAppendToTheFeed() {
        SyntheticDistrict one = SyntheticDistrict.demo().next();
        SyntheticDistrict two = one.next();
        assertThat(two.eventCount()).isGreaterThan(one.eventCount());
        List<JsonNode> a = new ArrayList<>(one.events());
        assertThat(two.events().subList(0, a.size())).isEqualTo(a);
    }
}
