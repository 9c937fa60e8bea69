package dev.homeroom.engine.internal.clever;

import dev.homeroom.spi.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** Shared helpers for the Clever client tests: fixtures, a recording sleeper and a collecting sink. */
final class CleverFixtures {
    static final String TOKEN = "SECRET-TOKEN-abc123";
    static final Instant NOW = Instant.parse("2024-01-15T10:00:00Z");

    private CleverFixtures() {}

    static String resource(String name) {
        try (InputStream in = CleverFixtures.class.getResourceAsStream("/clever/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource clever/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json; charset=utf-8")
                .body(body).build();
    }

    static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    static CleverClientConfig.Builder config(MockWebServer server, RecordingSleeper sleeper) {
        return CleverClientConfig.builder()
                .baseUrl(server.url("/"))
                .token(TOKEN)
                .sleeper(sleeper)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A users page of synthetic students {@code from .. from+count-1}, ids in ascending order like Clever's. */
    static String usersPage(int from, int count, String nextUri) {
        StringBuilder sb = new StringBuilder(count * 700 + 200).append("{\"data\":[");
        for (int i = from; i < from + count; i++) {
            if (i > from) {
                sb.append(',');
            }
            String id = userId(i);
            sb.append("{\"data\":{\"id\":\"").append(id).append("\",\"district\":\"5327a245c79f90670e001b78\",")
                    .append("\"email\":\"student").append(i).append("@demo.example\",")
                    .append("\"created\":\"2017-03-28T16:20:51.000Z\",\"last_modified\":\"2023-03-26T16:09:41.000Z\",")
                    .append("\"name\":{\"first\":\"First").append(i).append("\",\"middle\":\"M\",\"last\":\"Last")
                    .append(i).append("\"},\"roles\":{\"student\":{\"credentials\":{\"district_username\":\"s").append(i)
                    .append("\"},\"dob\":\"").append(1 + i % 12).append('/').append(1 + i % 28).append("/2010\",")
                    .append("\"ell_status\":\"N\",\"enrollments\":[{\"school\":\"5940d254203e37907e0000f0\",")
                    .append("\"start_date\":\"2022-08-15\",\"end_date\":null}],\"ext\":{\"house\":\"Blue\"},")
                    .append("\"gender\":\"F\",\"grade\":\"").append(1 + i % 12).append("\",\"graduation_year\":\"2028\",")
                    .append("\"hispanic_ethnicity\":\"N\",\"legacy_id\":\"L").append(i).append("\",")
                    .append("\"location\":{\"address\":\"").append(i).append(" Main St\",\"city\":\"Town\",\"state\":\"CA\",")
                    .append("\"zip\":\"90000\"},\"race\":\"Unknown\",\"school\":\"5940d254203e37907e0000f0\",")
                    .append("\"schools\":[\"5940d254203e37907e0000f0\"],\"sis_id\":\"").append(100000 + i)
                    .append("\",\"state_id\":\"ST").append(i).append("\",\"student_number\":\"").append(100000 + i)
                    .append("\",\"iep_status\":\"N\"}}},\"uri\":\"/v3.0/users/").append(id).append("\"}");
        }
        sb.append("],\"links\":[{\"rel\":\"self\",\"uri\":\"/v3.0/users\"}");
        if (nextUri != null) {
            sb.append(",{\"rel\":\"next\",\"uri\":\"").append(nextUri).append("\"}");
        }
        return sb.append("]}").toString();
    }

    static String userId(int i) {
        return String.format("58da8c63d7dc0ca0%08x", i);
    }

    /** Records each requested wait instead of sleeping. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
        }
    }

    /** Collects what a fetch delivered, page by page. */
    static final class Collector implements PageSink {
        final List<List<FetchedRecord>> pages = new ArrayList<>();
        final List<FetchedRecord> records = new ArrayList<>();
        final List<RecordProblem> problems = new ArrayList<>();

        @Override
        public void page(RecordKind kind, List<FetchedRecord> page, List<RecordProblem> pageProblems) {
            pages.add(page);
            records.addAll(page);
            problems.addAll(pageProblems);
        }

        List<String> ids() {
            return records.stream().map(r -> r.record().id()).toList();
        }
    }
}
