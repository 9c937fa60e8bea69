package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.config;
import static dev.homeroom.engine.internal.clever.CleverFixtures.json;
import static dev.homeroom.engine.internal.clever.CleverFixtures.userId;
import static dev.homeroom.engine.internal.clever.CleverFixtures.usersPage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.internal.clever.CleverFixtures.Collector;
import dev.homeroom.engine.internal.clever.CleverFixtures.RecordingSleeper;
import dev.homeroom.spi.RecordKind;
import java.time.Duration;
import java.util.Set;
import java.util.stream.IntStream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 2: a page that ends a collection early is not trusted. An empty page that still links a next page, and
 * a page as full as its limit without a next link, are probed; what the probe finds is read, and a collection that
 * cannot be made complete fails the fetch, retriable, so the run applies (and deactivates) nothing.
 */
class CleverEarlyEndingPagesTest {
    private static final String EMPTY_END = "{\"data\":[],\"links\":[{\"rel\":\"self\",\"uri\":\"/v3.0/users\"}]}";

    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CleverClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        // a short call deadline: a test that asks for one request too many fails fast instead of waiting on the server
        client = new CleverClient(config(server, sleeper).pageLimit(3).maxRetries(0).callTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static String emptyWithNext(String next) {
        return "{\"data\":[],\"links\":[{\"rel\":\"self\",\"uri\":\"/v3.0/users\"},{\"rel\":\"next\",\"uri\":\"" + next + "\"}]}";
    }

    @Test
    void anEmptyPageThatLinksFurtherOnIsReadAgainSoItsRecordsAreNotSkipped() throws Exception {
        String second = "/v3.0/users?limit=3&starting_after=" + userId(2);
        server.enqueue(json(usersPage(0, 3, second)));
        // page 2 comes back empty but links past its own records (after user 5)
        server.enqueue(json(emptyWithNext("/v3.0/users?limit=3&starting_after=" + userId(5))));
        server.enqueue(json(usersPage(3, 3, "/v3.0/users?limit=3&starting_after=" + userId(5))));
        server.enqueue(json(usersPage(6, 2, null)));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.ids()).containsExactlyElementsOf(IntStream.range(0, 8).mapToObj(CleverFixtures::userId).toList());
        assertThat(server.getRequestCount()).isEqualTo(4);
        server.takeRequest();
        assertThat(server.takeRequest().getTarget()).isEqualTo(second);
        assertThat(server.takeRequest().getTarget()).as("the empty page, read again").isEqualTo(second);
    }

    @Test
    void anEmptyPageWhoseSecondReadIsAnEmptyLastPageEndsTheCollection() {
        server.enqueue(json(usersPage(0, 2, "/v3.0/users?limit=3&starting_after=" + userId(1))));
        server.enqueue(json(emptyWithNext("/v3.0/users?limit=3&starting_after=zzz")));
        server.enqueue(json(EMPTY_END));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.ids()).containsExactly(userId(0), userId(1));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void anEmptyPageThatLinksItselfEndsTheCollection() {
        server.enqueue(json(usersPage(0, 3, "/v3.0/users?limit=3&starting_after=" + userId(2))));
        server.enqueue(json(emptyWithNext("/v3.0/users?limit=3&starting_after=" + userId(2))));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.ids()).hasSize(3);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void anEmptyPageThatStillLinksFurtherOnWhenReadAgainIsRefusedRetriable() {
        server.enqueue(json(usersPage(0, 3, "/v3.0/users?limit=3&starting_after=" + userId(2))));
        server.enqueue(json(emptyWithNext("/v3.0/users?limit=3&starting_after=" + userId(5))));
        server.enqueue(json(emptyWithNext("/v3.0/users?limit=3&starting_after=" + userId(5))));

        assertThatThrownBy(() -> client.fetchAll(RecordKind.USER, new Collector()))
                .isInstanceOfSatisfying(CleverApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("HR-CLEVER-INCOMPLETE");
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.getMessage()).contains("twice sent").contains("nothing is applied");
                });
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aFullPageWithoutANextLinkIsProbedAfterItsLastIdAndTheRestIsRead() throws Exception {
        server.enqueue(json(usersPage(0, 3, null))); // full (limit 3) but no next link
        server.enqueue(json(usersPage(3, 3, "/v3.0/users?limit=3&starting_after=" + userId(5))));
        server.enqueue(json(usersPage(6, 1, null)));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.ids()).containsExactlyElementsOf(IntStream.range(0, 7).mapToObj(CleverFixtures::userId).toList());
        server.takeRequest();
        RecordedRequest probe = server.takeRequest();
        assertThat(probe.getUrl().queryParameter("starting_after")).isEqualTo(userId(2));
        assertThat(probe.getUrl().queryParameter("limit")).isEqualTo("3");
    }

    @Test
    void aFullLastPageIsConfirmedByAnEmptyProbe() {
        server.enqueue(json(usersPage(0, 3, null)));
        server.enqueue(json(EMPTY_END));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.ids()).hasSize(3);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aPageShorterThanTheLimitWithoutNextEndsAtOnce() {
        server.enqueue(json(usersPage(0, 2, null)));

        client.fetchAll(RecordKind.USER, new Collector());

        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aProbeThatFailsFailsTheFetchRetriable() {
        server.enqueue(json(usersPage(0, 3, null)));
        server.enqueue(CleverFixtures.status(503));

        assertThatThrownBy(() -> client.fetchAll(RecordKind.USER, new Collector()))
                .isInstanceOfSatisfying(CleverApiException.class, e -> assertThat(e.retriable()).isTrue());
    }

    @Test
    void theEventsFeedStillEndsOnAnEmptyPageWithANextLink() {
        server.enqueue(json("{\"data\":[],\"links\":[{\"rel\":\"next\",\"uri\":\"/v3.0/events?starting_after=e9\"}]}"));

        EventFetch fetch = client.fetchEvents("e9", Set.of(), (events, problems) -> { });

        assertThat(fetch.cursor()).isEqualTo("e9");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
