package dev.homeroom.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain JDK HTTP client for the simulator, as a test would use it. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String token;

    Api(CleverSimulator sim) {
        this(sim.baseUrl(), sim.token());
    }

    Api(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return getWithToken(pathAndQuery, token);
    }

    HttpResponse<String> getWithToken(String pathAndQuery, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> bytes(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(base.resolve(pathAndQuery)).header("Authorization", "Bearer " + token).GET().build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode json(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = get(pathAndQuery);
        if (r.statusCode() != 200) throw new AssertionError(pathAndQuery + " -> " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    /** Follows next links from the first page; returns the inner data objects of every item. */
    List<JsonNode> all(String firstPage) {
        List<JsonNode> out = new ArrayList<>();
        String next = firstPage;
        int pages = 0;
        try {
            while (next != null) {
                JsonNode page = json(next);
                for (JsonNode item : page.get("data")) out.add(item.get("data"));
                next = link(page, "next");
                if (++pages > 100_000) throw new AssertionError("paging does not end");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }

    static String link(JsonNode page, String rel) {
        for (JsonNode l : page.get("links")) {
            if (l.get("rel").asText().equals(rel)) return l.get("uri").asText();
        }
        return null;
    }
}
