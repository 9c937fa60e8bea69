package dev.homeroom.host.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.store.StoreConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Not a test: where a full sync spends its time. Runs {@link SyncEngine#sync(SyncMode) sync(FULL)} of a synthetic
 * district served by {@link SimulatorMain} in a child JVM into an H2 file store in a temporary directory, twice: the
 * first run creates everything, the second finds everything unchanged. Per run it prints each phase the engine logs
 * ({@code HR-SYNC-101} fetch + shadow per kind, {@code HR-SYNC-102} decide + apply per kind, {@code HR-SYNC-103}
 * memberships) with records/s, and the rest (district, rules, markGone, commit) as the difference to the wall time.
 *
 * <pre>{@code
 * java -Xmx1g -cp <sample-host test classpath> dev.homeroom.host.bench.SyncBenchmark [--students 20000] [--schools 20]
 *      [--runs 2] [--keep] [--db jdbc:postgresql://127.0.0.1:5432/test?currentSchema=bench --db-user postgres]
 * }</pre>
 *
 * The phase lines are read from the engine's own log events (SLF4J → Logback, captured here at INFO; no need to set
 * {@code HOMEROOM_LOG_LEVEL}).
 */
public final class SyncBenchmark {
    private static final List<String> KINDS = List.of("schools", "terms", "courses", "sections", "users");

    private SyncBenchmark() {}

    public static void main(String[] args) throws Exception {
        int students = 20_000;
        int schools = 20;
        int runs = 2;
        boolean keep = false;
        String db = null;
        String dbUser = "postgres";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                case "--db-user" -> dbUser = args[++i];
                case "--students" -> students = Integer.parseInt(args[++i]);
                case "--schools" -> schools = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --students N --schools N --runs N --keep --db JDBC_URL --db-user U)");
            }
        }
        Logger pipeline = (Logger) LoggerFactory.getLogger("dev.homeroom.engine.internal.SyncPipeline");
        pipeline.setLevel(Level.INFO);
        pipeline.setAdditive(false); // keep stderr quiet: the phases are printed below
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        pipeline.addAppender(events);

        Path dir = Files.createTempDirectory("homeroom-sync-bench");
        StoreConfig store = db == null ? StoreConfig.h2File(dir) : StoreConfig.of(db, dbUser, "");
        System.out.printf(Locale.ROOT, "sync: %d students, %d schools, store %s, -Xmx %d MB, java %s, %d cpus%n",
                students, schools, db == null ? "H2 file in " + dir : db, Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        try (SimulatorProcess sim = SimulatorProcess.start(students, schools, "1g");
             SyncEngine engine = SyncEngine.builder()
                     .cleverUrl(sim.baseUrl())
                     .token(sim.token())
                     .store(store)
                     .build()) {
            for (int run = 1; run <= runs; run++) {
                events.list.clear();
                HeapPeak heap = HeapPeak.start();
                long t0 = System.nanoTime();
                SyncReport report = engine.sync(SyncMode.FULL);
                double wall = (System.nanoTime() - t0) / 1e9;
                long peak = heap.stop();
                print(run, report, wall, peak, List.copyOf(events.list), sim);
                if (db == null) {
                    System.out.printf(Locale.ROOT, "  store on disk: %.1f MB%n", size(dir) / 1e6);
                }
            }
        } finally {
            if (!keep) {
                delete(dir);
            }
        }
    }

    private static void print(int run, SyncReport report, double wall, long peakHeap, List<ILoggingEvent> log, SimulatorProcess sim) {
        long fetched = 0;
        for (String kind : KINDS) {
            fetched += report.counts(kind).fetched();
        }
        System.out.printf(Locale.ROOT, "run %d: %s, %d records in %.1f s (%.0f records/s overall), peak heap used %d MB (sampled)%n",
                run, report.status(), fetched, wall, fetched / wall, peakHeap >> 20);
        if (report.failure() != null) {
            System.out.println("  failure: " + report.failure());
        }
        for (String kind : KINDS) {
            KindCounts c = report.counts(kind);
            String exact = c.fetched() == sim.count(kind) ? "" : "  MISMATCH: simulator serves " + sim.count(kind);
            System.out.printf(Locale.ROOT, "  %-8s fetched %7d created %7d updated %5d unchanged %7d skipped %6d deactivated %5d errors %4d%s%n",
                    kind, c.fetched(), c.created(), c.updated(), c.unchanged(), c.skipped(), c.deactivated(), c.errors(), exact);
        }
        Map<String, Long> fetchedByKind = new LinkedHashMap<>();
        for (String kind : KINDS) {
            fetchedByKind.put(kind, report.counts(kind).fetched());
        }
        double phases = 0;
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : log) {
            String msg = e.getMessage();
            Object[] a = e.getArgumentArray();
            if (msg.startsWith("HR-SYNC-101") && a != null && a.length >= 6) {
                long records = ((Number) a[0]).longValue();
                double s = ((Number) a[5]).longValue() / 1000.0;
                phases += s;
                lines.add(String.format(Locale.ROOT, "  fetch+shadow   %-8s %8d records %6.2f s %9s records/s  (%s pages, %s retries)",
                        a[1], records, s, rate(records, s), a[2], a[4]));
            } else if (msg.startsWith("HR-SYNC-102") && a != null && a.length >= 2) {
                String kind = String.valueOf(a[0]);
                long records = fetchedByKind.getOrDefault(kind, 0L);
                double s = ((Number) a[1]).longValue() / 1000.0;
                phases += s;
                lines.add(String.format(Locale.ROOT, "  decide+apply   %-8s %8d records %6.2f s %9s records/s", kind, records, s,
                        rate(records, s)));
            } else if (msg.startsWith("HR-SYNC-103") && a != null && a.length >= 4) {
                double s = ((Number) a[3]).longValue() / 1000.0;
                phases += s;
                lines.add(String.format(Locale.ROOT, "  memberships             %s created %s reactivated %s deactivated %6.2f s",
                        a[0], a[1], a[2], s));
            }
        }
        lines.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "  other (district, rules, markGone, warnings, commit): %.2f s%n", wall - phases);
    }

    private static String rate(long records, double seconds) {
        return seconds <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", records / seconds);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Highest heap used, sampled every 10 ms on a daemon thread. */
    private static final class HeapPeak {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        private HeapPeak() {
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-peak");
            thread.setDaemon(true);
        }

        static HeapPeak start() {
            System.gc();
            HeapPeak h = new HeapPeak();
            h.thread.start();
            return h;
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak.get();
        }
    }
}
