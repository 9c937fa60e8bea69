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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 items 6, 7 and 8 against real servers on loopback: a redirect to another host is never followed (the token
 * and the other host's data stay out), a server that drips its body is cut by the call deadline and a run stops at its
 * own deadline, and 429s without headers are waited out for at least a minute in all, exponentially, with jitter.
 */
class CleverTransportHardeningTest {
    private final MockWebServer server = new MockWebServer();
    private final MockWebServer otherHost = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CleverClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        otherHost.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
        otherHost.close();
    }

    private Collector fetchUsers() {
        Collector sink = new Collector();
        client.fetchAll(RecordKind.USER, sink);
        return sink;
    }

    // ---- item 6: redirects

    @Test
    void aRedirectToAnotherHostIsNotFollowedAndFailsNamingTheHost() {
        client = new CleverClient(config(server, sleeper).callTimeout(Duration.ofSeconds(5)).build());
        otherHost.enqueue(json(usersPage(0, 3, null)));
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", otherHost.url("/v3.0/users").toString()).build());

        assertThatThrownBy(this::fetchUsers).isInstanceOfSatisfying(CleverApiException.class, e -> {
            assertThat(e.code()).isEqualTo("HR-CLEVER-REDIRECT");
            assertThat(e.retriable()).isFalse();
            assertThat(e.httpStatus()).isEqualTo(302);
            assertThat(e.getMessage()).contains("redirecting to http://" + otherHost.getHostName() + ":" + otherHost.getPort())
                    .contains("never followed").doesNotContain(TOKEN);
        });
        assertThat(otherHost.getRequestCount()).as("nothing was sent to the other host").isZero();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRedirectOnALaterPageIsNotFollowedEither() throws Exception {
        client = new CleverClient(config(server, sleeper).callTimeout(Duration.ofSeconds(5)).build());
        otherHost.enqueue(json(usersPage(3, 2, null)));
        server.enqueue(json(usersPage(0, 3, "/v3.0/users?limit=10000&starting_after=" + CleverFixtures.userId(2))));
        server.enqueue(new MockResponse.Builder().code(307).setHeader("Location", otherHost.url("/v3.0/users?x=1").toString()).build());
        Collector sink = new Collector();

        assertThatThrownBy(() -> client.fetchAll(RecordKind.USER, sink))
                .isInstanceOfSatisfying(CleverApiException.class, e -> assertThat(e.code()).isEqualTo("HR-CLEVER-REDIRECT"));
        assertThat(otherHost.getRequestCount()).isZero();
        assertThat(otherHost.takeRequest(10, TimeUnit.MILLISECONDS)).isNull();
    }

    // ---- item 7: deadlines

    @Test
    void aServerThatDripsItsBodyIsCutByTheCallTimeout() {
        client = new CleverClient(config(server, sleeper).maxRetries(1).callTimeout(Duration.ofMillis(300)).build());
        // one byte a second: each read succeeds well within the 60 s read timeout, the call as a whole never ends
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder(json(usersPage(0, 3, null))).throttleBody(1, 1, TimeUnit.SECONDS).build());
        }

        assertThatThrownBy(this::fetchUsers).isInstanceOfSatisfying(CleverApiException.class, e -> {
            assertThat(e.code()).isEqualTo("HR-CLEVER-UNAVAILABLE");
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains("failed 2 times").containsIgnoringCase("timeout");
        });
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    /** A clock the sleeper moves forward: the run's time passes only by the waits it takes. */
    private static final class SteppingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(NOW);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void retriesStopAtTheRunDeadlineInsteadOfWaitingPastIt() {
        SteppingClock clock = new SteppingClock();
        Sleeper advancing = d -> {
            sleeper.sleep(d);
            clock.now.updateAndGet(t -> t.plus(d));
        };
        client = new CleverClient(config(server, sleeper).sleeper(advancing).clock(clock).maxRetries(20)
                .backoff(Duration.ofSeconds(10), Duration.ofSeconds(10))
                .deadline(NOW.plusSeconds(25)).callTimeout(Duration.ofSeconds(5)).build());
        for (int i = 0; i < 5; i++) {
            server.enqueue(status(503));
        }

        assertThatThrownBy(this::fetchUsers).isInstanceOfSatisfying(CleverApiException.class, e -> {
            assertThat(e.code()).isEqualTo("HR-CLEVER-DEADLINE");
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains("deadline").contains("GET /v3.0/users").contains("nothing is applied");
        });
        // waits of 5-10 s each: whatever the jitter, the deadline 25 s out is met within a handful of attempts, and no
        // wait ever ends past it
        assertThat(server.getRequestCount()).isBetween(3, 5);
        Duration waited = sleeper.waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(waited).isLessThan(Duration.ofSeconds(25));
    }

    @Test
    void noPageIsTakenOnceTheDeadlineHasPassed() {
        SteppingClock clock = new SteppingClock();
        client = new CleverClient(config(server, sleeper).clock(clock).deadline(NOW.plusSeconds(60))
                .callTimeout(Duration.ofSeconds(5)).build());
        server.enqueue(json(usersPage(0, 3, "/v3.0/users?limit=10000&starting_after=" + CleverFixtures.userId(2))));
        server.enqueue(json(usersPage(3, 2, null)));
        Collector sink = new Collector();

        assertThatThrownBy(() -> client.fetchAll(RecordKind.USER, (kind, records, problems) -> {
            sink.page(kind, records, problems);
            clock.now.set(NOW.plusSeconds(61)); // the first page took the rest of the run's time
        })).isInstanceOfSatisfying(CleverApiException.class, e -> assertThat(e.code()).isEqualTo("HR-CLEVER-DEADLINE"));
        assertThat(sink.records).as("the second page is not delivered, even when it was read ahead in time").hasSize(3);
        // page 2 is read ahead while page 1 is delivered, before the clock moves past the deadline: asked for or not
        assertThat(server.getRequestCount()).isBetween(1, 2);
    }

    @Test
    void aZeroCallTimeoutIsRefusedAsConfiguration() {
        assertThatThrownBy(() -> config(server, sleeper).callTimeout(Duration.ZERO).build())
                .isInstanceOfSatisfying(CleverApiException.class, e -> assertThat(e.getMessage()).contains("callTimeout must be positive"));
    }

    // ---- item 8: 429 without headers

    @Test
    void sevenHeaderless429sInARowBackOffExponentiallyForOverAMinuteBeforeTheFetchFails() {
        client = new CleverClient(config(server, sleeper).callTimeout(Duration.ofSeconds(5)).build()); // maxRetries 6
        for (int i = 0; i < 7; i++) {
            server.enqueue(status(429));
        }

        assertThatThrownBy(this::fetchUsers).isInstanceOfSatisfying(CleverApiException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains("failed 7 times (rate limited");
        });
        assertThat(sleeper.waits).hasSize(6);
        // exponential with equal jitter from 2 s: wait n lies in [2^n / 2, 2^n] s
        for (int n = 1; n <= 6; n++) {
            long step = 2L << (n - 1);
            assertThat(sleeper.waits.get(n - 1)).as("wait %d", n)
                    .isBetween(Duration.ofMillis(step * 500), Duration.ofSeconds(step));
        }
        assertThat(sleeper.waits.stream().reduce(Duration.ZERO, Duration::plus)).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aPageIsReadAfterSeveral429sWithoutHeaders() {
        client = new CleverClient(config(server, sleeper).callTimeout(Duration.ofSeconds(5)).build());
        for (int i = 0; i < 5; i++) {
            server.enqueue(status(429));
        }
        server.enqueue(json(usersPage(0, 3, null)));

        assertThat(fetchUsers().records).hasSize(3);
        assertThat(sleeper.waits).hasSize(5);
    }

    @Test
    void persistentHeaderless429sAreGivenUpOnlyAfterAtLeastAMinuteOfWaiting() {
        client = new CleverClient(config(server, sleeper).maxRetries(2).callTimeout(Duration.ofSeconds(5)).build());
        for (int i = 0; i < 40; i++) {
            server.enqueue(status(429));
        }

        assertThatThrownBy(this::fetchUsers).isInstanceOfSatisfying(CleverApiException.class, e -> {
            assertThat(e.code()).isEqualTo("HR-CLEVER-UNAVAILABLE");
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains("rate limited");
        });
        Duration waited = sleeper.waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        // and not much beyond what it takes: it stops once the minute is reached
        Duration allButLast = waited.minus(sleeper.waits.get(sleeper.waits.size() - 1));
        assertThat(allButLast).isLessThan(Duration.ofSeconds(60));
    }
}
