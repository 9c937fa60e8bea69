package dev.homeroom.host.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * The fetch floor: every page of every collection the engine reads, fetched over HTTP and parsed token by token with
 * nothing else done (no binding to records, no hashing, no store). What a sync costs beyond this is the engine's.
 */
final class BareFetch {
    private static final List<String> COLLECTIONS = List.of("schools", "terms", "courses", "sections", "users");
    private static final JsonFactory JSON = new JsonFactory();

    record Result(long records, long bytes, long nanos) {
        long recordsPerSecond() {
            return nanos <= 0 ? 0 : Math.round(records / (nanos / 1e9));
        }
    }

    private BareFetch() {}

    static Result fetchAll(String baseUrl, String token) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long records = 0;
        long bytes = 0;
        long t0 = System.nanoTime();
        for (String collection : COLLECTIONS) {
            String next = "/v3.0/" + collection + "?limit=10000";
            while (next != null) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + next)).header("Authorization", "Bearer " + token).build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + next + " answered " + response.statusCode());
                }
                Page page = parse(response.body());
                records += page.records();
                bytes += page.bytes();
                next = page.records() == 0 ? null : page.next();
            }
        }
        return new Result(records, bytes, System.nanoTime() - t0);
    }

    private record Page(long records, long bytes, String next) {}

    /** Counts the items of {@code data} and finds the {@code next} link, reading every token. */
    private static Page parse(InputStream body) throws IOException {
        long records = 0;
        String next = null;
        try (JsonParser p = JSON.createParser(body)) {
            String rel = null;
            String uri = null;
            int depth = 0;
            boolean inData = false;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (depth == 2 && "data".equals(p.currentName()) && t == JsonToken.START_ARRAY) {
                            inData = true;
                        } else if (inData && depth == 3) {
                            records++;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (depth == 2) {
                            inData = false;
                        }
                        if (depth == 3 && !inData && rel != null && "next".equals(rel)) {
                            next = uri;
                        }
                        if (depth == 3 && !inData) {
                            rel = null;
                            uri = null;
                        }
                        depth--;
                    }
                    case VALUE_STRING -> {
                        if (!inData && depth == 3) {
                            if ("rel".equals(p.currentName())) {
                                rel = p.getText();
                            } else if ("uri".equals(p.currentName())) {
                                uri = p.getText();
                            }
                        }
                    }
                    default -> { }
                }
            }
            return new Page(records, p.currentLocation().getByteOffset(), next);
        }
    }
}
