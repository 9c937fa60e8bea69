package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.config;
import static dev.homeroom.engine.internal.clever.CleverFixtures.json;
import static dev.homeroom.engine.internal.clever.CleverFixtures.resource;
import static dev.homeroom.engine.internal.clever.CleverFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.internal.clever.CleverFixtures.RecordingSleeper;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.CleverEvent;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.User;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CleverEventsTest {
    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CleverClient client;
    private final List<CleverEvent> events = new ArrayList<>();
    private final List<RecordProblem> problems = new ArrayList<>();
    private final EventSink sink = (page, pageProblems) -> {
        events.addAll(page);
        problems.addAll(pageProblems);
    };

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = new CleverClient(config(server, sleeper).pageLimit(500).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void eventsMapToChangesWithPreviousAttributesReadFromInsideData() {
        server.enqueue(json(resource("events.json")));
        server.enqueue(json(resource("events-last.json")));

        EventFetch fetch = client.fetchEvents("ev0", Set.of(), sink);

        assertThat(events).extracting(CleverEvent::id).containsExactly("ev1", "ev2", "ev3");
        CleverEvent updated = events.get(0);
        assertThat(updated.kind()).isEqualTo(RecordKind.USER);
        assertThat(updated.change()).isEqualTo(Change.UPDATED);
        assertThat(updated.type()).isEqualTo("users.updated");
        assertThat(updated.created()).isEqualTo("2023-03-26T16:09:41.000Z");
        assertThat(((User) updated.object()).roles().student().gender()).isEqualTo("X");
        assertThat(updated.previousAttributes()).containsKey("roles");
        @SuppressWarnings("unchecked")
        Map<String, Object> previousStudent = (Map<String, Object>) ((Map<String, Object>) updated.previousAttributes()
                .get("roles")).get("student");
        assertThat(previousStudent).containsEntry("gender", "F");
        // Sensitive fields are dropped from the object, its JSON, and the old values.
        assertThat(previousStudent).doesNotContainKey("iep_status");
        assertThat(((Map<?, ?>) previousStudent.get("ext")).containsKey("gifted_status")).isFalse();
        assertThat(((User) updated.object()).roles().student().iepStatus()).isNull();
        assertThat(updated.objectJson()).doesNotContain("iep_status", "gifted_status").contains("\"gender\":\"X\"");

        CleverEvent created = events.get(1);
        assertThat(created.change()).isEqualTo(Change.CREATED);
        assertThat(((Section) created.object()).students()).containsExactly("u1");
        assertThat(created.previousAttributes()).isEmpty();

        CleverEvent deleted = events.get(2);
        assertThat(deleted.change()).isEqualTo(Change.GONE);
        assertThat(deleted.kind()).isEqualTo(RecordKind.TERM);
        assertThat(((Term) deleted.object()).id()).isEqualTo("t1");

        // ev4 (resources) is skipped, ev5 has a bad date: a problem; both still move the cursor.
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(RecordKind.TERM);
            assertThat(p.cleverId()).isEqualTo("t2");
            assertThat(p.reason()).contains("ev5");
        });
        assertThat(fetch.cursor()).isEqualTo("ev5");
        assertThat(fetch.events()).isEqualTo(3);
        assertThat(fetch.stats().pages()).isEqualTo(2);
    }

    @Test
    void theCursorAndRecordTypeFiltersAreSentAndCarriedOntoNextLinks() throws Exception {
        server.enqueue(json(resource("events.json")));
        server.enqueue(json(resource("events-last.json")));

        client.fetchEvents("ev0", EnumSet.of(RecordKind.USER, RecordKind.SECTION), sink);

        RecordedRequest first = server.takeRequest();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/v3.0/events");
        assertThat(first.getUrl().queryParameter("starting_after")).isEqualTo("ev0");
        assertThat(first.getUrl().queryParameter("limit")).isEqualTo("500");
        assertThat(first.getUrl().queryParameterValues("record_type")).containsExactly("sections", "users");
        RecordedRequest second = server.takeRequest();
        assertThat(second.getUrl().queryParameter("starting_after")).isEqualTo("ev5");
        assertThat(second.getUrl().queryParameterValues("record_type")).containsExactly("sections", "users");
        assertThat(second.getUrl().queryParameter("limit")).isEqualTo("500");
        // Only the wanted kinds are delivered even if the server ignores the filter.
        assertThat(events).extracting(CleverEvent::kind).containsOnly(RecordKind.USER, RecordKind.SECTION);
    }

    @Test
    void fromTheBeginningSendsNoCursorAndAnEmptyFeedKeepsTheOldCursor() throws Exception {
        server.enqueue(json(resource("events-last.json")));
        server.enqueue(json(resource("events-last.json")));

        EventFetch none = client.fetchEvents(null, Set.of(), sink);
        EventFetch same = client.fetchEvents("ev9", Set.of(), sink);

        assertThat(server.takeRequest().getUrl().queryParameter("starting_after")).isNull();
        assertThat(none.cursor()).isNull();
        assertThat(same.cursor()).isEqualTo("ev9");
        assertThat(same.events()).isZero();
    }

    @Test
    void aFailedEventsFetchIsRetriedAndTheCursorOnlyCoversDeliveredPages() {
        server.enqueue(status(502));
        server.enqueue(json(resource("events.json")));
        server.enqueue(status(401));

        assertThatThrownBy(() -> client.fetchEvents("ev0", Set.of(), sink)).isInstanceOf(CleverApiException.class);
        // The first page was delivered (the caller may apply it again next time: event handling is idempotent),
        // but no cursor was returned, so nothing is committed past what the caller applied.
        assertThat(events).hasSize(3);
        assertThat(sleeper.waits).hasSize(1);
    }
}
