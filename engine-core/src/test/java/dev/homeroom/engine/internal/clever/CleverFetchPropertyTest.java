package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.NOW;
import static dev.homeroom.engine.internal.clever.CleverFixtures.json;
import static dev.homeroom.engine.internal.clever.CleverFixtures.userId;
import static dev.homeroom.engine.internal.clever.CleverFixtures.usersPage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.internal.clever.CleverFixtures.Collector;
import dev.homeroom.engine.internal.clever.CleverFixtures.RecordingSleeper;
import dev.homeroom.spi.RecordKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For any fault schedule in which no request fails more often than the client retries, a fetch delivers exactly what a
 * fault-free fetch delivers: the same records, in the same order, each exactly once.
 */
class CleverFetchPropertyTest {
    private static final int MAX_RETRIES = 3;
    // One loopback server for all tries: starting and closing one costs ~150 ms.
    private static MockWebServer server;

    @BeforeContainer
    static void startServer() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterContainer
    static void stopServer() {
        server.close();
    }

    enum Fault { RATE_LIMITED, BAD_GATEWAY, HTML_503, HTML_200, RESET, TRUNCATED_BODY, BROKEN_JSON }

    @Property(tries = 100)
    void faultsNeverChangeWhatIsDelivered(
            @ForAll @IntRange(min = 0, max = 30) int users,
            @ForAll @IntRange(min = 1, max = 8) int limit,
            @ForAll("schedules") List<List<Fault>> schedule,
            @ForAll boolean tooLargeFirst) throws Exception {
        server.setDispatcher(new District(users, Map.of(), false));
        List<String> expected = fetch(server, limit).records.stream().map(FetchedRecord::json).toList();
        assertThat(expected).hasSize(users);

        Map<String, Deque<Fault>> faults = new HashMap<>();
        for (int page = 0; page < schedule.size(); page++) {
            String cursor = page == 0 ? "" : userId(page * limit - 1);
            faults.put(cursor, new ArrayDeque<>(schedule.get(page)));
        }
        server.setDispatcher(new District(users, faults, tooLargeFirst && limit > 1));
        Collector delivered = fetch(server, limit);

        assertThat(delivered.records).extracting(FetchedRecord::json).containsExactlyElementsOf(expected);
        assertThat(delivered.ids()).doesNotHaveDuplicates()
                .containsExactlyElementsOf(IntStream.range(0, users).mapToObj(CleverFixtures::userId).toList());
        assertThat(delivered.problems).isEmpty();
    }

    @Provide
    Arbitrary<List<List<Fault>>> schedules() {
        Arbitrary<List<Fault>> perRequest = Arbitraries.of(Fault.class).list().ofMaxSize(MAX_RETRIES);
        return perRequest.list().ofMaxSize(8);
    }

    private static Collector fetch(MockWebServer server, int limit) {
        CleverClientConfig config = CleverClientConfig.builder()
                .baseUrl(server.url("/"))
                .token(CleverFixtures.TOKEN)
                .pageLimit(limit)
                .maxRetries(MAX_RETRIES)
                .sleeper(new RecordingSleeper())
                .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))
                .build();
        Collector sink = new Collector();
        try (CleverClient client = new CleverClient(config)) {
            client.fetchAll(RecordKind.USER, sink);
        }
        return sink;
    }

    /** A synthetic district of users, paged like Clever (ascending ids, {@code starting_after}), with faults on cue. */
    private static final class District extends Dispatcher {
        private final int users;
        private final Map<String, Deque<Fault>> faults;
        private boolean tooLarge;

        District(int users, Map<String, Deque<Fault>> faults, boolean tooLargeFirst) {
            this.users = users;
            this.faults = faults;
            this.tooLarge = tooLargeFirst;
        }

        @Override
        public synchronized MockResponse dispatch(RecordedRequest request) {
            if (tooLarge) {
                tooLarge = false;
                return new MockResponse.Builder().code(413).build();
            }
            String cursor = request.getUrl().queryParameter("starting_after");
            int limit = Integer.parseInt(request.getUrl().queryParameter("limit"));
            int start = cursor == null ? 0 : Integer.parseInt(cursor.substring(16), 16) + 1;
            int end = Math.min(users, start + limit);
            String next = end < users ? "/v3.0/users?limit=" + limit + "&starting_after=" + userId(end - 1) : null;
            String body = usersPage(start, end - start, next);
            Deque<Fault> queue = faults.get(cursor == null ? "" : cursor);
            Fault fault = queue == null ? null : queue.poll();
            if (fault == null) {
                // MockWebServer stalls ~45 ms (delayed ACK) on each reused keep-alive connection; closing after a
                // good page keeps the property fast. Error responses keep the connection, so reuse is still exercised.
                return new MockResponse.Builder(json(body)).setHeader("Connection", "close").build();
            }
            return switch (fault) {
                case RATE_LIMITED -> new MockResponse.Builder().code(429)
                        .setHeader("X-RateLimit-Remaining", "0")
                        .setHeader("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 5)).build();
                case BAD_GATEWAY -> new MockResponse.Builder().code(502).build();
                case HTML_503 -> new MockResponse.Builder().code(503).setHeader("Content-Type", "text/html")
                        .body("<html>down</html>").build();
                case HTML_200 -> new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                        .body("<html>wrong token type</html>").build();
                case RESET -> new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
                case TRUNCATED_BODY -> new MockResponse.Builder(json(body))
                        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
                case BROKEN_JSON -> json(body.substring(0, body.length() / 2));
            };
        }
    }
}
