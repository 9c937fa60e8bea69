package dev.homeroom.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a directory of JSON fixtures as Clever API v3.0 on loopback: {@code districts.json}, {@code schools.json},
 * {@code terms.json}, {@code courses.json}, {@code sections.json} and {@code users.json}, each a Clever list response
 * ({@code {"data":[{"data":{…}}]}}) or a plain JSON array of records. A missing file is an empty collection; the event
 * feed is empty. Every collection is one page; any bearer token is accepted.
 */
public final class FixtureServer implements AutoCloseable {
    public static final List<String> COLLECTIONS = List.of("districts", "schools", "terms", "courses", "sections", "users");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, byte[]> pages = new LinkedHashMap<>();
    private String districtId;
    private HttpServer server;

    public FixtureServer(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("fixture directory not found: " + directory);
        }
        for (String collection : COLLECTIONS) {
            Path file = directory.resolve(collection + ".json");
            ArrayNode records = JSON.createArrayNode();
            if (Files.exists(file)) {
                JsonNode root;
                try {
                    root = JSON.readTree(file.toFile());
                } catch (IOException e) {
                    throw new IllegalArgumentException("fixture " + file + " is not JSON: " + e.getMessage(), e);
                }
                JsonNode list = root.isArray() ? root : root.path("data");
                if (!list.isArray()) {
                    throw new IllegalArgumentException("fixture " + file + " holds neither a Clever list response ({\"data\":[…]}) nor an array");
                }
                for (JsonNode item : list) {
                    JsonNode record = item.has("data") && item.path("data").isObject() ? item.path("data") : item;
                    if (!record.hasNonNull("id")) {
                        throw new IllegalArgumentException("fixture " + file + " has a record without an id: " + record);
                    }
                    records.add(record);
                    if (collection.equals("districts") && districtId == null) {
                        districtId = record.path("id").asText();
                    }
                }
            }
            pages.put(collection, page(collection, records));
        }
        pages.put("events", page("events", JSON.createArrayNode()));
        if (districtId == null) {
            throw new IllegalArgumentException("fixture directory " + directory + " has no district: add districts.json with one record");
        }
    }

    /** The Clever id of the fixture's district (the first record of {@code districts.json}). */
    public String districtId() {
        return districtId;
    }

    private static byte[] page(String collection, ArrayNode records) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode data = root.putArray("data");
        for (JsonNode record : records) {
            ObjectNode item = data.addObject();
            item.set("data", record);
            item.put("uri", "/v3.0/" + collection + "/" + record.path("id").asText());
        }
        ArrayNode links = root.putArray("links");
        links.addObject().put("rel", "self").put("uri", "/v3.0/" + collection);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized FixtureServer start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1 for the fixture server", e);
        }
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            byte[] body;
            int status;
            if (auth == null || !auth.startsWith("Bearer ")) {
                status = 401;
                body = "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                String collection = path.startsWith("/v3.0/") ? path.substring("/v3.0/".length()) : "";
                body = pages.get(collection);
                status = body == null ? 404 : 200;
                if (body == null) {
                    body = ("{\"error\":\"Cannot GET " + path + "\"}").getBytes(StandardCharsets.UTF_8);
                }
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
