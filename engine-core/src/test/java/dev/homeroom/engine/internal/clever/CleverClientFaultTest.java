package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.NOW;
import static dev.homeroom.engine.internal.clever.CleverFixtures.TOKEN;
import static dev.homeroom.engine.internal.clever.CleverFixtures.config;
import static dev.homeroom.engine.internal.clever.CleverFixtures.json;
import static dev.homeroom.engine.internal.clever.CleverFixtures.status;
import static dev.homeroom.engine.internal.clever.CleverFixtures.usersPage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.internal.clever.CleverFixtures.Collector;
import dev.homeroom.engine.internal.clever.CleverFixtures.RecordingSleeper;
import dev.homeroom.spi.RecordKind;
import java.time.Duration;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CleverClientFaultTest {
    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CleverClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = new CleverClient(config(server, sleeper).maxRetries(3).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static final String PAGE = usersPage(0, 3, null);

    private Collector fetchUsers() {
        Collector sink = new Collector();
        client.fetchAll(RecordKind.USER, sink);
        return sink;
    }

    @Test
    void rateLimitedWithAnEmptyBodyWaitsUntilTheResetThenRetries() {
        server.enqueue(new MockResponse.Builder().code(429)
                .setHeader("X-RateLimit-Remaining", "0")
                .setHeader("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 30)).build());
        server.enqueue(json(PAGE));

        Collector sink = new Collector();
        FetchStats stats = client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.records).hasSize(3);
        // Exactly one wait of 30 s: the budget must not wait for the same reset a second time.
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(30));
        assertThat(stats.rateLimited()).isEqualTo(1);
        assertThat(stats.retries()).isEqualTo(1);
        assertThat(stats.requests()).isEqualTo(2);
    }

    @Test
    void retryAfterIsHonouredWhenPresent() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7").build());
        server.enqueue(json(PAGE));

        assertThat(fetchUsers().records).hasSize(3);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void rateLimitedWithoutHeadersBacksOff() {
        server.enqueue(status(429));
        server.enqueue(json(PAGE));

        assertThat(fetchUsers().records).hasSize(3);
        // the rate-limit backoff starts at 2 s with equal jitter: [1 s, 2 s]
        assertThat(sleeper.waits).singleElement()
                .satisfies(wait -> assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }

    @Test
    void badGatewayIsRetriedWithBackoff() {
        server.enqueue(status(502));
        server.enqueue(status(500));
        server.enqueue(json(PAGE));

        Collector sink = fetchUsers();

        assertThat(sink.records).hasSize(3);
        assertThat(sink.pages).hasSize(1);
        assertThat(sleeper.waits).hasSize(2);
        // Exponential with equal jitter: attempt 1 in [250, 500] ms, attempt 2 in [500, 1000] ms.
        assertThat(sleeper.waits.get(0)).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(sleeper.waits.get(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void htmlErrorBodiesAreRetriedNotParsed() {
        server.enqueue(new MockResponse.Builder().code(503).setHeader("Content-Type", "text/html")
                .body("<html><body>Service Unavailable</body></html>").build());
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html; charset=utf-8")
                .body("<html><body>maintenance</body></html>").build());
        server.enqueue(json(PAGE));

        assertThat(fetchUsers().records).hasSize(3);
        assertThat(sleeper.waits).hasSize(2);
    }

    @Test
    void aResetConnectionIsRetried() {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(json(PAGE));

        assertThat(fetchUsers().records).hasSize(3);
        assertThat(sleeper.waits).hasSize(1);
    }

    @Test
    void aTruncatedPageIsFetchedAgainWholeAndNeverHalfApplied() {
        server.enqueue(json(usersPage(0, 3, "/v3.0/users?limit=10000&starting_after=" + CleverFixtures.userId(2))));
        // Page 2 is cut off half-way through the body, then served whole.
        server.enqueue(new MockResponse.Builder(json(usersPage(3, 4, null)))
                .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(json(usersPage(3, 4, null)));

        Collector sink = fetchUsers();

        assertThat(sink.pages).extracting(java.util.List::size).containsExactly(3, 4);
        assertThat(sink.ids()).containsExactlyElementsOf(IntStream.range(0, 7).mapToObj(CleverFixtures::userId).toList());
        assertThat(sleeper.waits).hasSize(1);
    }

    @Test
    void truncatedJsonInACompleteResponseIsRetried() {
        String page = usersPage(0, 3, null);
        server.enqueue(json(page.substring(0, page.length() / 2)));
        server.enqueue(json(page));

        Collector sink = fetchUsers();

        assertThat(sink.pages).hasSize(1);
        assertThat(sink.records).hasSize(3);
        assertThat(sleeper.waits).hasSize(1);
    }

    @Test
    void unauthorizedFailsAtOnceWithoutTheToken() {
        server.enqueue(new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                .body("{\"message\":\"invalid token " + TOKEN + "\"}").build());

        assertThatThrownBy(this::fetchUsers)
                .isInstanceOfSatisfying(CleverApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("HR-CLEVER-401");
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("rejected the district token").doesNotContain(TOKEN);
                    assertThat(e.toString()).doesNotContain(TOKEN);
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void tooLargeHalvesTheLimitAndRetriesThatPage() throws Exception {
        server.enqueue(status(413));
        server.enqueue(status(413));
        server.enqueue(json(PAGE));

        Collector sink = fetchUsers();

        assertThat(sink.records).hasSize(3);
        assertThat(server.takeRequest().getUrl().queryParameter("limit")).isEqualTo("10000");
        assertThat(server.takeRequest().getUrl().queryParameter("limit")).isEqualTo("5000");
        assertThat(server.takeRequest().getUrl().queryParameter("limit")).isEqualTo("2500");
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void persistentFailureEndsWithARetriableExceptionNamingThePath() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(status(503));
        }

        assertThatThrownBy(this::fetchUsers)
                .isInstanceOfSatisfying(CleverApiException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.code()).isEqualTo("HR-CLEVER-UNAVAILABLE");
                    assertThat(e.getMessage()).contains("GET /v3.0/users?limit=10000").contains("503")
                            .doesNotContain(TOKEN);
                });
        assertThat(server.getRequestCount()).isEqualTo(4); // 1 + maxRetries(3)
        assertThat(sleeper.waits).hasSize(3);
    }

    @Test
    void notFoundOnAListIsReportedToTheCaller() {
        server.enqueue(new MockResponse.Builder().code(404).setHeader("Content-Type", "text/html")
                .body("Cannot GET /v3.0/users/x/mystudents").build());

        assertThatThrownBy(() -> client.fetchStudentsOf("x", new Collector()))
                .isInstanceOfSatisfying(CleverApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("HR-CLEVER-404");
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("/v3.0/users/x/mystudents");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theBudgetPausesBeforeTheRemainingRequestsRunOut() {
        String next = "/v3.0/users?limit=10000&starting_after=" + CleverFixtures.userId(2);
        server.enqueue(new MockResponse.Builder(json(usersPage(0, 3, next)))
                .setHeader("X-RateLimit-Remaining", "2")
                .setHeader("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 20)).build());
        server.enqueue(json(usersPage(3, 1, null)));

        Collector sink = new Collector();
        FetchStats stats = client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.records).hasSize(4);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(20));
        assertThat(stats.budgetPauses()).isEqualTo(1);
        assertThat(stats.rateLimited()).isZero();
    }

    @Test
    void plentyOfBudgetMeansNoPause() {
        server.enqueue(new MockResponse.Builder(json(PAGE)).setHeader("X-RateLimit-Remaining", "1100")
                .setHeader("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 20)).build());
        server.enqueue(json(PAGE));

        fetchUsers();
        fetchUsers();

        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void aSinkFailureIsNotRetriedAndPropagates() {
        server.enqueue(json(PAGE));
        IllegalStateException boom = new IllegalStateException("store is down");

        assertThatThrownBy(() -> client.fetchAll(RecordKind.USER, (kind, records, problems) -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() {
        server.enqueue(json(usersPage(0, 1, "https://evil.example/v3.0/users?starting_after=x")));

        assertThatThrownBy(this::fetchUsers)
                .isInstanceOfSatisfying(CleverApiException.class,
                        e -> assertThat(e.getMessage()).contains("another host"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
