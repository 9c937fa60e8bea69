package dev.homeroom.engine.internal.clever;

import com.sun.net.httpserver.HttpServer;
import dev.homeroom.spi.RecordKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a unit test: measures how fast the client fetches and parses full pages of 10,000 users served from loopback.
 * Run: {@code java -cp <test classpath> dev.homeroom.engine.internal.clever.ParseBenchmark [pages]}.
 *
 * <p>Prints (1) end-to-end over HTTP (JDK HttpServer on 127.0.0.1, one thread; the server only copies prebuilt bytes)
 * and (2) parse and bind alone from memory, both including the sensitive-field drop and the sorted JSON.
 */
public final class ParseBenchmark {
    private static final int USERS_PER_PAGE = 10_000;

    private ParseBenchmark() {}

    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String full = CleverFixtures.usersPage(0, USERS_PER_PAGE, null);
        int cut = full.lastIndexOf("],\"links\":");
        byte[] data = full.substring(0, cut).getBytes(StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "page: %d users, %.2f MB%n", USERS_PER_PAGE, data.length / 1e6);

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        AtomicLong served = new AtomicLong();
        int[] total = {pages};
        server.createContext("/v3.0/users", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            int index = 0;
            int at = query == null ? -1 : query.indexOf("starting_after=p");
            if (at >= 0) {
                index = Integer.parseInt(query.substring(at + "starting_after=p".length())) + 1;
            }
            String links = index + 1 < total[0]
                    ? "],\"links\":[{\"rel\":\"next\",\"uri\":\"/v3.0/users?limit=10000&starting_after=p" + index + "\"}]}"
                    : "],\"links\":[]}";
            byte[] tail = links.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, data.length + tail.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(data);
                out.write(tail);
            }
            served.incrementAndGet();
        });
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
        try {
            CleverClientConfig config = CleverClientConfig.builder()
                    .baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                    .token("benchmark-token")
                    .build();
            try (CleverClient client = new CleverClient(config)) {
                total[0] = 5;
                run(client, "warm-up");
                total[0] = pages;
                run(client, "http");
            }
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdown();
        }

        CleverJson json = new CleverJson(CleverClientConfig.DEFAULT_DROPPED_STUDENT_FIELDS);
        byte[] page = full.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 5; i++) {
            parseOnce(json, page);
        }
        long start = System.nanoTime();
        int rounds = Math.max(10, pages);
        long records = 0;
        for (int i = 0; i < rounds; i++) {
            records += parseOnce(json, page);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "parse-only: %d pages in %.2f s: %.1f pages/s, %.1f MB/s, %.0f records/s, %.0f ms/page%n",
                rounds, seconds, rounds / seconds, rounds * (double) page.length / 1e6 / seconds, records / seconds,
                seconds * 1000 / rounds);
    }

    private static int parseOnce(CleverJson json, byte[] page) throws IOException {
        CleverJson.RecordPage parsed = json.newPage(RecordKind.USER);
        json.readEnvelope(new ByteArrayInputStream(page), parsed);
        if (parsed.records.size() != USERS_PER_PAGE) {
            throw new IllegalStateException("parsed " + parsed.records.size() + " problems " + parsed.problems);
        }
        return parsed.records.size();
    }

    private static void run(CleverClient client, String label) {
        long[] records = {0};
        long start = System.nanoTime();
        FetchStats stats = client.fetchAll(RecordKind.USER, (kind, page, problems) -> records[0] += page.size());
        double seconds = (System.nanoTime() - start) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT,
                "%s: %d pages, %d records, %.1f MB in %.2f s: %.1f pages/s, %.1f MB/s, %.0f records/s, %.0f ms/page, heap used %d MB%n",
                label, stats.pages(), records[0], stats.bytes() / 1e6, seconds, stats.pages() / seconds,
                stats.bytes() / 1e6 / seconds, records[0] / seconds, seconds * 1000 / stats.pages(),
                (rt.totalMemory() - rt.freeMemory()) / 1_000_000);
    }
}
