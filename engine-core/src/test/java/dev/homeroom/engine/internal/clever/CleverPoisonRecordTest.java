package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.config;
import static dev.homeroom.engine.internal.clever.CleverFixtures.usersPage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.internal.clever.CleverFixtures.Collector;
import dev.homeroom.engine.internal.clever.CleverFixtures.RecordingSleeper;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.User;
import dev.homeroom.store.CleverId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 1: one record that cannot be read (nested over 1,000 levels, invalid UTF-8, not an object, an id over
 * the store's limit) is a handled problem naming its id or position; the page's other records are delivered, and the
 * page is read once, not retried.
 */
class CleverPoisonRecordTest {
    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CleverClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = new CleverClient(config(server, sleeper).maxRetries(2).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    /** A users page of five good students with {@code poison} spliced in as the third item of data[]. */
    private static byte[] pageWith(byte[] poison) {
        String good = usersPage(0, 5, null);
        int second = good.indexOf("{\"data\":{\"id\":\"" + CleverFixtures.userId(2) + "\"");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(good.substring(0, second).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(poison);
        out.writeBytes(",".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(good.substring(second).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Collector fetch(byte[] body) {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(new Buffer().write(body)).build());
        Collector sink = new Collector();
        client.fetchAll(RecordKind.USER, sink);
        return sink;
    }

    private void assertTheOtherFiveArrivedOnce(Collector sink) {
        assertThat(sink.ids()).containsExactlyElementsOf(IntStream.range(0, 5).mapToObj(CleverFixtures::userId).toList());
        assertThat(sink.pages).hasSize(1);
        assertThat(server.getRequestCount()).as("the page is not fetched again").isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void aRecordNestedOverAThousandLevelsIsAProblemWithItsId() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        Collector sink = fetch(pageWith(utf8("{\"data\":{\"id\":\"deep0000000000000000001\",\"ext\":{\"x\":" + deep
                + "},\"name\":{\"first\":\"A\",\"last\":\"B\"},\"roles\":{}},\"uri\":\"/v3.0/users/deep\"}")));

        assertTheOtherFiveArrivedOnce(sink);
        assertThat(sink.problems).singleElement().satisfies(p -> {
            assertThat(p.cleverId()).isEqualTo("deep0000000000000000001");
            assertThat(p.reason()).isEqualTo("data[2] could not be read: it nests deeper than 64 levels");
        });
    }

    @Test
    void theIdOfADeepRecordIsFoundEvenAfterTheDeepPart() {
        String deep = "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000);
        Collector sink = fetch(pageWith(utf8("{\"data\":{\"ext\":" + deep + ",\"id\":\"late00000000000000000001\"}}")));

        assertTheOtherFiveArrivedOnce(sink);
        assertThat(sink.problems).singleElement().satisfies(p -> assertThat(p.cleverId()).isEqualTo("late00000000000000000001"));
    }

    @Test
    void invalidUtf8InOneRecordIsAProblemWithItsIdAndDoesNotGarbleTheOthers() {
        ByteArrayOutputStream poison = new ByteArrayOutputStream();
        poison.writeBytes(utf8("{\"data\":{\"id\":\"bad000000000000000000001\",\"name\":{\"first\":\"Zo"));
        poison.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE}); // not UTF-8
        poison.writeBytes(utf8("\",\"last\":\"X\"},\"roles\":{}},\"uri\":\"/v3.0/users/bad\"}"));

        Collector sink = fetch(pageWith(poison.toByteArray()));

        assertTheOtherFiveArrivedOnce(sink);
        assertThat(sink.problems).singleElement().satisfies(p -> {
            assertThat(p.cleverId()).isEqualTo("bad000000000000000000001");
            assertThat(p.reason()).isEqualTo("data[2] could not be read: it holds bytes that are not valid UTF-8 text");
        });
        assertThat(sink.records).allSatisfy(r -> assertThat(r.json()).doesNotContain("\\ufffd").doesNotContain("\uFFFD"));
    }

    @Test
    void validMultiByteUtf8AcrossTheDecoderBufferIsNotMistakenForInvalid() {
        // a long name of 2- and 3-byte characters: sequences straddle every 8 KiB read of the decoder
        String name = "Zoë Núñez 東京 ".repeat(2_000);
        String record = "{\"data\":{\"id\":\"utf000000000000000000001\",\"name\":{\"first\":\"" + name
                + "\",\"last\":\"X\"},\"roles\":{}},\"uri\":\"/v3.0/users/u\"}";

        Collector sink = fetch(pageWith(utf8(record)));

        assertThat(sink.problems).isEmpty();
        assertThat(sink.ids()).hasSize(6).contains("utf000000000000000000001");
        User u = (User) sink.records.stream().filter(r -> r.record().id().startsWith("utf")).findFirst().orElseThrow().record();
        assertThat(u.name().first()).isEqualTo(name);
    }

    @Test
    void itemsThatAreNotObjectsAreProblemsNamingTheirPosition() {
        Collector sink = fetch(pageWith(utf8("42,\"text\",null,[1,[2,[3]]]")));

        assertThat(sink.ids()).containsExactlyElementsOf(IntStream.range(0, 5).mapToObj(CleverFixtures::userId).toList());
        assertThat(sink.problems).extracting(RecordProblem::reason).containsExactly(
                "data[2] is a number, not an object",
                "data[3] is a string, not an object",
                "data[4] is null, not an object",
                "data[5] is an array, not an object");
        assertThat(sink.problems).allSatisfy(p -> assertThat(p.cleverId()).isNull());
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void anIdOverTheStoreLimitIsAProblemNamingItsStart() {
        String fits = "f".repeat(CleverId.MAX_LENGTH);
        String tooLong = "L".repeat(CleverId.MAX_LENGTH + 1);
        Collector sink = fetch(pageWith(utf8("{\"data\":{\"id\":\"" + tooLong + "\",\"name\":{\"last\":\"X\"},\"roles\":{}}},"
                + "{\"data\":{\"id\":\"" + fits + "\",\"name\":{\"last\":\"Y\"},\"roles\":{}}}")));

        assertThat(sink.ids()).contains(fits).doesNotContain(tooLong).hasSize(6);
        assertThat(sink.problems).singleElement().satisfies(p -> {
            assertThat(p.cleverId()).isNull();
            assertThat(p.reason()).isEqualTo("data[2] was not read: its id is 65 characters long, over the limit of 64 (it starts '"
                    + "L".repeat(40) + "…')");
        });
    }

    @Test
    void aPageThatIsNotAnEnvelopeStillFailsWhole() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .body("{\"data\":[{\"data\":{\"id\":\"a\"}}").build());
        }
        Collector sink = new Collector();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.fetchAll(RecordKind.USER, sink))
                .isInstanceOf(CleverApiException.class);
        assertThat(sink.pages).isEmpty();
        assertThat(List.of(server.getRequestCount())).containsExactly(3);
    }

    @Test
    void anUnreadableEventIsAProblemNamingItAndTheCursorMovesPastIt() {
        String deep = "[".repeat(3_000) + "]".repeat(3_000);
        String good = "{\"data\":{\"id\":\"ev2\",\"type\":\"users.created\",\"created\":\"2024-01-01T00:00:00Z\","
                + "\"data\":{\"object\":{\"id\":\"u1\",\"name\":{\"last\":\"X\"},\"roles\":{}}}}}";
        String page = "{\"data\":[{\"data\":{\"id\":\"ev1\",\"type\":\"users.updated\",\"data\":{\"object\":{\"id\":\"u0\","
                + "\"ext\":" + deep + "}}}}," + good + ",{\"data\":{\"id\":\"ev3\",\"type\":\"users.updated\",\"data\":"
                + deep + "}}],\"links\":[]}";
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(page).build());
        List<RecordProblem> problems = new java.util.ArrayList<>();
        List<String> events = new java.util.ArrayList<>();

        EventFetch fetch = client.fetchEvents("ev0", java.util.Set.of(), (e, p) -> {
            e.forEach(x -> events.add(x.id()));
            problems.addAll(p);
        });

        assertThat(events).containsExactly("ev2");
        assertThat(problems).extracting(RecordProblem::reason).containsExactly(
                "event ev1: data[0] could not be read: it nests deeper than 64 levels",
                "event ev3: data[2] could not be read: it nests deeper than 64 levels");
        assertThat(fetch.cursor()).as("one unreadable event is reported once, not at every run").isEqualTo("ev3");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
