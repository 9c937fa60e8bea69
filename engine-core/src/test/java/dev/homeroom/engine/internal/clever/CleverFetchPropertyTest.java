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
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For any fault schedule in which no request fails more often than the client retries, a fetch delivers exactly what a
 * fault-free fetch delivers: the same records, in the same order, each exactly once.
 *
 * <p>Each case is generated from its seed alone, so a failing case is rerun by its seed: the display name shows the
 * seed and the whole case ({@code seed 17: FetchCase[users=…, limit=…, schedule=…, tooLargeFirst=…]}).
 */
class CleverFetchPropertyTest {
    private static final int MAX_RETRIES = 3;
    private static final int TRIES = 100;
    private static final int MAX_USERS = 30;
    private static final int MAX_LIMIT = 8;
    private static final int MAX_FAULTY_PAGES = 8;
    // One loopback server for all cases: starting and closing one costs ~150 ms.
    private static MockWebServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    enum Fault { RATE_LIMITED, BAD_GATEWAY, HTML_503, HTML_200, RESET, TRUNCATED_BODY, BROKEN_JSON }

    /**
     * One generated case: a district of {@code users} users fetched {@code limit} per page, with {@code schedule.get(p)}
     * the faults answered (in order) to requests for page {@code p} before its good answer.
     */
    record FetchCase(int users, int limit, List<List<Fault>> schedule, boolean tooLargeFirst) {
        static FetchCase generate(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int users = boundaryBiased(random, 0, MAX_USERS);
            int limit = boundaryBiased(random, 1, MAX_LIMIT);
            int pages = boundaryBiased(random, 0, MAX_FAULTY_PAGES);
            List<List<Fault>> schedule = new ArrayList<>();
            for (int page = 0; page < pages; page++) {
                // at most MAX_RETRIES faults per page: a request never fails more often than the client retries
                int faults = boundaryBiased(random, 0, MAX_RETRIES);
                List<Fault> perRequest = new ArrayList<>();
                for (int i = 0; i < faults; i++) {
                    perRequest.add(Fault.values()[random.nextInt(Fault.values().length)]);
                }
                schedule.add(List.copyOf(perRequest));
            }
            return new FetchCase(users, limit, List.copyOf(schedule), random.nextBoolean());
        }
    }

    /** Uniform in {@code [min, max]}, but the bounds themselves come up one time in five, where the bugs live. */
    static int boundaryBiased(SplittableRandom random, int min, int max) {
        int roll = random.nextInt(10);
        if (roll == 0) {
            return min;
        }
        if (roll == 1) {
            return max;
        }
        return random.nextInt(min, max + 1);
    }

    static Stream<Arguments> cases() {
        return LongStream.range(0, TRIES).mapToObj(seed -> Arguments.of(seed, FetchCase.generate(seed)));
    }

    @ParameterizedTest(name = "seed {0}: {1}")
    @MethodSource("cases")
    void faultsNeverChangeWhatIsDelivered(long seed, FetchCase c) throws Exception {
        String why = "seed " + seed + ": " + c;
        server.setDispatcher(new District(c.users(), Map.of(), false));
        List<String> expected = fetch(why, c.limit()).records.stream().map(FetchedRecord::json).toList();
        assertThat(expected).as(why).hasSize(c.users());

        Map<String, Deque<Fault>> faults = new HashMap<>();
        for (int page = 0; page < c.schedule().size(); page++) {
            String cursor = page == 0 ? "" : userId(page * c.limit() - 1);
            faults.put(cursor, new ArrayDeque<>(c.schedule().get(page)));
        }
        server.setDispatcher(new District(c.users(), faults, c.tooLargeFirst() && c.limit() > 1));
        Collector delivered = fetch(why, c.limit());

        assertThat(delivered.records).as(why).extracting(FetchedRecord::json).containsExactlyElementsOf(expected);
        assertThat(delivered.ids()).as(why).doesNotHaveDuplicates()
                .containsExactlyElementsOf(IntStream.range(0, c.users()).mapToObj(CleverFixtures::userId).toList());
        assertThat(delivered.problems).as(why).isEmpty();
    }

    /** Fetches all users; a fetch that gives up fails the case with its seed, not with a bare stack trace. */
    private static Collector fetch(String why, int limit) {
        try {
            return fetch(limit);
        } catch (RuntimeException e) {
            throw new AssertionError(why + ": fetch failed: " + e, e);
        }
    }

    private static Collector fetch(int limit) {
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
