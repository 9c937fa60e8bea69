package dev.homeroom.host.e2e.malformed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Clever-shaped server on loopback that answers each collection with one page of the items it was given, byte for
 * byte: {@code /v3.0/districts} and {@code /v3.0/schools|terms|courses|sections|users}, with the list envelope of
 * NOTES.md §3. Anything without {@code Authorization: Bearer <token>} gets 401, as from Clever; unknown paths 404.
 */
public final class CleverStub implements AutoCloseable {
    private static final List<String> COLLECTIONS = List.of("schools", "terms", "courses", "sections", "users");

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();

    /**
     * @param items per collection, the JSON text of each item's inner {@code data} object, in the order served
     */
    public CleverStub(String token, String districtJson, Map<String, List<String>> items) throws IOException {
        this.token = token;
        serve(districtJson, items);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** From now on, answers with these items instead (what Clever shares the next time a run fetches). */
    public void serve(String districtJson, Map<String, List<String>> items) {
        pages.put("districts", "{\"data\":[{\"data\":" + districtJson + "}],\"links\":[{\"rel\":\"self\",\"uri\":\"/v3.0/districts\"}]}");
        for (String collection : COLLECTIONS) {
            StringBuilder page = new StringBuilder("{\"data\":[");
            List<String> served = items.getOrDefault(collection, List.of());
            for (int i = 0; i < served.size(); i++) {
                if (i > 0) {
                    page.append(',');
                }
                // the uri names the item by position: an item may have no id, or a 10,000-character one
                page.append("{\"data\":").append(served.get(i)).append(",\"uri\":\"/v3.0/").append(collection).append("/item-")
                        .append(i).append("\"}");
            }
            page.append("],\"links\":[{\"rel\":\"self\",\"uri\":\"/v3.0/").append(collection).append("\"}]}");
            pages.put(collection, page.toString());
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests answered per collection (for a failure message). */
    public Map<String, Integer> requests() {
        return Map.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String collection = path.startsWith("/v3.0/") ? path.substring("/v3.0/".length()) : "";
            requests.merge(collection, 1, Integer::sum);
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"message\":\"invalid token\"}");
                return;
            }
            String page = pages.get(collection);
            if (page == null || !"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 404, "{\"message\":\"not found\"}");
                return;
            }
            send(exchange, 200, page);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("X-RateLimit-Limit", "1200");
        exchange.getResponseHeaders().set("X-RateLimit-Remaining", "1199");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
