package dev.homeroom.host.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.KindCounts;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.engine.Stage;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.StoreFloor;
import dev.homeroom.store.StoreStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: how fast a sync of a synthetic district of a given size runs on this machine, beside the floor measured
 * in the same run. The simulator serves the district from a process of its own; this process runs the engine: a full
 * sync, an identical re-sync, an incremental run that takes the snapshot, an incremental run of at least
 * {@code --events} events (the simulator's first revision, which also removes a term and moves a quarter of the
 * sections to another), and one of at least as many events of ordinary churn after it (students who come, go, or
 * change name or email, and the sections they join or leave); then it drains the outbox as a host would. The floor is
 * the same pages fetched and parsed with nothing else done, plus the rows no sync can avoid written by the database's
 * fastest bulk path.
 */
@Command(name = "bench",
        description = "Measure a full sync, an identical re-sync and an incremental run of a synthetic district beside the floor.")
public final class BenchCommand implements Callable<Integer> {
    private static final List<String> KINDS = List.of("schools", "terms", "courses", "sections", "users");
    /** Changes a host reads from the outbox at a time, draining it after the runs. */
    private static final int DRAIN_PAGE = 1_000;

    @Option(names = "--students", required = true, description = "students in the synthetic district")
    int students;

    @Option(names = "--schools", defaultValue = "0", description = "schools (default: one per 1,000 students, at least 3)")
    int schools;

    @Option(names = "--realistic", description = "serve DistrictSpec.realistic(N) instead: 1,800 schools, 70,000 teachers and 6,000,000 "
            + "enrollments in 240,000 sections per 1,000,000 students, 20,000 courses, 4 terms, quirks at a few percent")
    boolean realistic;

    @Option(names = "--simulator-only", description = "measure the simulator alone: fetch and parse every page over HTTP, run no sync")
    boolean simulatorOnly;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "a PostgreSQL database to bench on (a fresh schema is made and dropped); default: an H2 file in a temporary folder")
    String db;

    @Option(names = "--db-user", defaultValue = "postgres", description = "database user (default ${DEFAULT-VALUE})")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "", description = "database password")
    String dbPassword;

    @Option(names = "--events", defaultValue = "10000", description = "events the incremental run applies, at least (default ${DEFAULT-VALUE}; 0: no incremental runs)")
    int events;

    @Option(names = "--simulator-heap", defaultValue = "3g", description = "the simulator process's -Xmx (default ${DEFAULT-VALUE})")
    String simulatorHeap;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Option(names = "--live-heap", description = "also measure the live heap: a full collection every 100,000 records fetched "
            + "and after each kind is decided, while the run holds what it holds then (adds their pauses to the times)")
    boolean liveHeap;

    @Option(names = "--keep-store", description = "keep the synced store at the end (the PostgreSQL schema or the H2 folder) and print where it is")
    boolean keepStore;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (realistic && schools > 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--schools cannot be combined with --realistic: drop --schools (the preset has 1,800 schools per 1,000,000 students)");
        }
        if (simulatorOnly) {
            return simulatorOnly(out);
        }
        int schoolCount = schools > 0 ? schools : Math.max(3, students / 1000);
        Path dir = Files.createTempDirectory("homeroom-bench");
        String schema = "bench_" + Long.toHexString(System.nanoTime());
        StoreConfig storeConfig;
        StoreConfig floorConfig;
        if (db == null) {
            storeConfig = StoreConfig.h2File(dir.resolve("store"));
            floorConfig = StoreConfig.h2File(dir.resolve("floor"));
        } else {
            createSchema(schema);
            createSchema(schema + "_floor");
            storeConfig = StoreConfig.of(withSchema(db, schema), dbUser, dbPassword);
            floorConfig = StoreConfig.of(withSchema(db, schema + "_floor"), dbUser, dbPassword);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("students", students);
        result.put("schools", schoolCount);
        result.put("realistic", realistic);
        result.put("store", db == null ? "h2" : "postgresql");
        result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        result.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        LiveHeap live = liveHeap ? new LiveHeap() : null;
        Timings timings = new Timings(live);
        HeapPeak heap = HeapPeak.start();
        try (SimulatorProcess sim = startSimulator(schoolCount)) {
            Map<String, Long> served = new LinkedHashMap<>();
            KINDS.forEach(k -> served.put(k, sim.count(k)));
            result.put("served", served);
            result.put("schools", sim.count("schools"));
            String districtId;
            try (SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl()).token(sim.token()).store(storeConfig)
                    .listener(timings).build();
                 Store store = Store.open(storeConfig)) {
                StoreStats stats = new StoreStats(store);
                SyncReport full = timed(engine, SyncMode.FULL, timings);
                districtId = full.districtId();
                Map<String, Object> fullJson = runJson(full, timings);
                fullJson.put("rowsWritten", stats.writtenBy(districtId, full.runId()));
                fullJson.put("rows", stats.rows(districtId));
                result.put("full", fullJson);
                long storeAfterFull = storeBytes(stats, dir.resolve("store"));
                result.put("storeBytes", storeAfterFull);
                if (db != null) {
                    result.put("storeBytesByTable", stats.postgresBytesByTable());
                }
                // the floor of what the full sync did: the same pages, and the rows it could not avoid
                heap.pause(); // the floor's own memory is not the engine's
                BareFetch.Result fetchFloor = BareFetch.fetchAll(sim.baseUrl(), sim.token());
                StoreFloor.Result writeFloor;
                try (Store floor = Store.open(floorConfig)) {
                    writeFloor = StoreFloor.copy(store, floor, districtId);
                }
                heap.resume();

                SyncReport resync = timed(engine, SyncMode.FULL, timings);
                Map<String, Object> resyncJson = runJson(resync, timings);
                Map<String, Long> written = stats.writtenBy(districtId, resync.runId());
                resyncJson.put("rowsWritten", written);
                resyncJson.put("provisionedRowsWritten", StoreStats.PROVISIONED.stream().mapToLong(t -> written.getOrDefault(t, 0L)).sum());
                long storeAfterResync = storeBytes(stats, dir.resolve("store"));
                resyncJson.put("storeGrowthBytes", storeAfterResync - storeAfterFull);
                result.put("resync", resyncJson);

                if (events > 0) {
                    SyncReport snapshot = timed(engine, SyncMode.INCREMENTAL, timings);
                    result.put("incrementalSnapshot", runJson(snapshot, timings));
                    result.put("incremental", eventsRun(engine, timings, stats, districtId, sim.advanceToEvents(events)));
                    result.put("incrementalChurn", eventsRun(engine, timings, stats, districtId, sim.advanceByEvents(events)));
                }

                result.put("outboxDrain", drainOutbox(engine));
                if (db != null) {
                    // what the store holds once a host took every change (PostgreSQL's autovacuum frees the outbox's
                    // pages soon after; done here at once, so the figure does not depend on when it runs)
                    vacuum(schema + ".outbox");
                    result.put("storeBytesAfterDrain", storeBytes(stats, dir.resolve("store")));
                }

                Map<String, Object> floorJson = new LinkedHashMap<>();
                floorJson.put("fetchSeconds", seconds(fetchFloor.nanos()));
                floorJson.put("fetchedRecords", fetchFloor.records());
                floorJson.put("fetchedBytes", fetchFloor.bytes());
                floorJson.put("fetchRecordsPerSecond", fetchFloor.recordsPerSecond());
                floorJson.put("writeSeconds", seconds(writeFloor.nanos()));
                floorJson.put("rowsWritten", writeFloor.rows());
                floorJson.put("seconds", seconds(fetchFloor.nanos() + writeFloor.nanos()));
                result.put("floor", floorJson);
                double floorSeconds = seconds(fetchFloor.nanos() + writeFloor.nanos());
                result.put("ratios", Map.of(
                        "fullToFloor", round((double) fullJson.get("seconds") / floorSeconds),
                        "resyncToFull", round((double) resyncJson.get("seconds") / (double) fullJson.get("seconds")),
                        "fetchToFetchFloor", round(stageSeconds(fullJson, Stage.FETCH) / seconds(fetchFloor.nanos())),
                        "writeToWriteFloor", round((stageSeconds(fullJson, Stage.SHADOW) + stageSeconds(fullJson, Stage.APPLY)
                                + stageSeconds(fullJson, Stage.COMMIT)) / seconds(writeFloor.nanos()))));
            }
            if (db == null) {
                // closed, the H2 file is compacted: what the store holds after every run, without the pages an
                // append-only file keeps until it is compacted (the sizes above are the file's while open)
                result.put("storeBytesCompacted", storeBytes(null, dir.resolve("store")));
            }
        } finally {
            result.put("peakHeapBytes", heap.stop());
            result.put("peakHeapAfterGcBytes", heap.peakAfterGc());
            if (live != null) {
                result.put("liveHeapBytes", live.peak());
                result.put("liveHeapSamples", live.samples());
            }
            if (keepStore) {
                result.put("keptStore", db == null ? dir.resolve("store").toString() : withSchema(db, schema));
                if (db != null) {
                    dropSchema(schema + "_floor");
                }
            } else {
                if (db != null) {
                    dropSchema(schema);
                    dropSchema(schema + "_floor");
                }
                delete(dir);
            }
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } else {
            printTable(out, result);
        }
        out.flush();
        return 0;
    }

    private SimulatorProcess startSimulator(int schoolCount) throws IOException {
        return realistic ? SimulatorProcess.startRealistic(students, simulatorHeap) : SimulatorProcess.start(students, schoolCount, simulatorHeap);
    }

    /**
     * The simulator alone: every page of every collection the engine reads, fetched over HTTP and parsed token by token
     * ({@link BareFetch}), nothing else done. What it prints is the most the simulator can serve this machine's client,
     * the ceiling of any sync's fetch.
     */
    private int simulatorOnly(PrintWriter out) throws Exception {
        int schoolCount = schools > 0 ? schools : Math.max(3, students / 1000);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("students", students);
        result.put("realistic", realistic);
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        result.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (SimulatorProcess sim = startSimulator(schoolCount)) {
            Map<String, Long> served = new LinkedHashMap<>();
            KINDS.forEach(k -> served.put(k, sim.count(k)));
            result.put("schools", sim.count("schools"));
            result.put("served", served);
            long simCpu0 = sim.cpuTime().toNanos();
            long clientCpu0 = processCpuNanos();
            BareFetch.Result fetch = BareFetch.fetchAll(sim.baseUrl(), sim.token());
            double simCpu = seconds(sim.cpuTime().toNanos() - simCpu0);
            double clientCpu = seconds(processCpuNanos() - clientCpu0);
            Map<String, Object> simJson = new LinkedHashMap<>();
            simJson.put("seconds", seconds(fetch.nanos()));
            simJson.put("records", fetch.records());
            simJson.put("bytes", fetch.bytes());
            simJson.put("recordsPerSecond", fetch.recordsPerSecond());
            simJson.put("megabytesPerSecond", round(fetch.bytes() / 1e6 / (fetch.nanos() / 1e9)));
            // wall time depends on what else the machine runs; CPU time says what serving costs
            simJson.put("simulatorCpuSeconds", simCpu);
            simJson.put("recordsPerSimulatorCpuSecond", simCpu <= 0 ? 0 : Math.round(fetch.records() / simCpu));
            simJson.put("clientCpuSeconds", clientCpu);
            result.put("simulator", simJson);
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } else {
            @SuppressWarnings("unchecked")
            var sim = (Map<String, Object>) result.get("simulator");
            out.printf(Locale.ROOT, "bench --simulator-only: %,d students%s, %d schools, %d cpus, load %.2f at start%n", students,
                    realistic ? " (realistic)" : "", result.get("schools"), result.get("cpus"), result.get("loadAverage"));
            out.println("served: " + result.get("served"));
            out.printf(Locale.ROOT, "simulate %8.1f s  %,9d records  %,7d records/s  %.0f MB (%.1f MB/s)%n", sim.get("seconds"),
                    sim.get("records"), sim.get("recordsPerSecond"), ((Long) sim.get("bytes")) / 1e6, sim.get("megabytesPerSecond"));
            out.printf(Locale.ROOT, "    simulator CPU %.1f s (%,d records per CPU second), client CPU %.1f s%n", sim.get("simulatorCpuSeconds"),
                    sim.get("recordsPerSimulatorCpuSecond"), sim.get("clientCpuSeconds"));
        }
        out.flush();
        return 0;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /** An incremental run of the events the simulator's feed holds beyond the cursor: its figures and rows written. */
    private static Map<String, Object> eventsRun(SyncEngine engine, Timings timings, StoreStats stats, String districtId, long events) {
        SyncReport run = timed(engine, SyncMode.INCREMENTAL, timings);
        Map<String, Object> json = runJson(run, timings);
        json.put("events", events);
        json.put("rowsWritten", stats.writtenBy(districtId, run.runId()));
        return json;
    }

    private static SyncReport timed(SyncEngine engine, SyncMode mode, Timings timings) {
        timings.stages.clear();
        timings.started = System.nanoTime();
        SyncReport report = engine.sync(mode);
        timings.seconds = seconds(System.nanoTime() - timings.started);
        if (report.failure() != null) {
            throw new IllegalStateException("the " + mode.label() + " run ended " + report.status() + ": " + report.failure());
        }
        return report;
    }

    private static Map<String, Object> runJson(SyncReport report, Timings timings) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", report.runId());
        run.put("status", report.status().name());
        run.put("seconds", timings.seconds);
        long records = KINDS.stream().mapToLong(k -> report.counts(k).fetched()).sum();
        run.put("records", records);
        run.put("recordsPerSecond", Math.round(records / timings.seconds));
        Map<String, Object> stages = new LinkedHashMap<>();
        for (Stage s : Stage.values()) {
            double sec = seconds(timings.stages.getOrDefault(s, Duration.ZERO).toNanos());
            stages.put(s.name().toLowerCase(Locale.ROOT), Map.of("seconds", sec, "recordsPerSecond", sec <= 0 ? 0 : Math.round(records / sec)));
        }
        run.put("stages", stages);
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String k : KINDS) {
            KindCounts c = report.counts(k);
            counts.put(k, Map.of("fetched", c.fetched(), "created", c.created(), "updated", c.updated(), "unchanged", c.unchanged(),
                    "skipped", c.skipped(), "deactivated", c.deactivated(), "errors", c.errors()));
        }
        run.put("counts", counts);
        return run;
    }

    @SuppressWarnings("unchecked")
    private static double stageSeconds(Map<String, Object> run, Stage stage) {
        var stages = (Map<String, Map<String, Object>>) run.get("stages");
        return ((Number) stages.get(stage.name().toLowerCase(Locale.ROOT)).get("seconds")).doubleValue();
    }

    /** What a host does after the runs: reads the outbox a page at a time and acknowledges each page, until it is empty. */
    private static Map<String, Object> drainOutbox(SyncEngine engine) {
        long t0 = System.nanoTime();
        long changes = 0;
        int pages = 0;
        long slowest = 0;
        while (true) {
            long p0 = System.nanoTime();
            List<AppliedChange> page = engine.pendingChanges(DRAIN_PAGE);
            if (page.isEmpty()) {
                break;
            }
            engine.acknowledge(page);
            slowest = Math.max(slowest, System.nanoTime() - p0);
            changes += page.size();
            pages++;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("changes", changes);
        json.put("pageSize", DRAIN_PAGE);
        json.put("pages", pages);
        json.put("seconds", seconds(System.nanoTime() - t0));
        json.put("slowestPageSeconds", seconds(slowest));
        return json;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(PrintWriter out, Map<String, Object> r) {
        out.printf(Locale.ROOT, "bench: %,d students%s, %d schools, store %s, -Xmx %d MB, %d cpus, load %.2f at start%n",
                r.get("students"), Boolean.TRUE.equals(r.get("realistic")) ? " (realistic)" : "", r.get("schools"), r.get("store"),
                ((Long) r.get("maxHeapBytes")) >> 20, r.get("cpus"), r.get("loadAverage"));
        for (String name : List.of("full", "resync", "incrementalSnapshot", "incremental", "incrementalChurn")) {
            var run = (Map<String, Object>) r.get(name);
            if (run == null) {
                continue;
            }
            out.printf(Locale.ROOT, "%-20s %8.1f s  %,9d records  %,7d records/s%s%n", name, run.get("seconds"), run.get("records"),
                    run.get("recordsPerSecond"), run.containsKey("events") ? "  (" + run.get("events") + " events)" : "");
            var stages = (Map<String, Map<String, Object>>) run.get("stages");
            StringBuilder line = new StringBuilder("    ");
            stages.forEach((stage, v) -> line.append(String.format(Locale.ROOT, "%s %.1f s  ", stage, ((Number) v.get("seconds")).doubleValue())));
            out.println(line.toString().stripTrailing());
            if (run.containsKey("rowsWritten")) {
                out.println("    rows written: " + run.get("rowsWritten"));
            }
        }
        var drain = (Map<String, Object>) r.get("outboxDrain");
        out.printf(Locale.ROOT, "outbox drained       %8.1f s  %,9d changes in %,d pages of %,d read and acknowledged; slowest page %.3f s%n",
                drain.get("seconds"), drain.get("changes"), drain.get("pages"), drain.get("pageSize"), drain.get("slowestPageSeconds"));
        var floor = (Map<String, Object>) r.get("floor");
        out.printf(Locale.ROOT, "floor                %8.1f s  (fetch %.1f s for %,d records, %,d records/s, %.0f MB; write %.1f s for %s)%n",
                floor.get("seconds"), floor.get("fetchSeconds"), floor.get("fetchedRecords"), floor.get("fetchRecordsPerSecond"),
                ((Long) floor.get("fetchedBytes")) / 1e6,
                floor.get("writeSeconds"), floor.get("rowsWritten"));
        out.println("ratios: " + r.get("ratios"));
        out.printf(Locale.ROOT, "peak heap %d MB sampled, %d MB right after a collection; store %.1f MB after the full sync (%.0f bytes per student), re-sync grew it by %.1f MB%n",
                ((Long) r.get("peakHeapBytes")) >> 20, ((Long) r.get("peakHeapAfterGcBytes")) >> 20, ((Long) r.get("storeBytes")) / 1e6,
                ((Long) r.get("storeBytes")) / (double) (Integer) r.get("students"),
                ((Long) ((Map<String, Object>) r.get("resync")).get("storeGrowthBytes")) / 1e6);
        if (r.containsKey("storeBytesAfterDrain")) {
            out.printf(Locale.ROOT, "    store once the outbox is drained (and vacuumed): %.1f MB (%.0f bytes per student)%n",
                    ((Long) r.get("storeBytesAfterDrain")) / 1e6, ((Long) r.get("storeBytesAfterDrain")) / (double) (Integer) r.get("students"));
        }
        if (r.containsKey("storeBytesCompacted")) {
            out.printf(Locale.ROOT, "    H2 file after the runs, closed and compacted: %.1f MB (%.0f bytes per student)%n",
                    ((Long) r.get("storeBytesCompacted")) / 1e6, ((Long) r.get("storeBytesCompacted")) / (double) (Integer) r.get("students"));
        }
        if (r.containsKey("storeBytesByTable")) {
            var line = new StringBuilder("    by table (with indexes):");
            ((Map<String, Long>) r.get("storeBytesByTable")).forEach((t, b) -> line.append(String.format(Locale.ROOT, " %s %.1f MB", t, b / 1e6)));
            out.println(line);
        }
        if (r.containsKey("keptStore")) {
            out.println("store kept: " + r.get("keptStore"));
        }
        if (r.containsKey("liveHeapBytes")) {
            out.printf(Locale.ROOT, "live heap %d MB at most, after %d full collections during the runs%n",
                    ((Long) r.get("liveHeapBytes")) >> 20, r.get("liveHeapSamples"));
        }
    }

    private long storeBytes(StoreStats stats, Path h2Dir) throws IOException {
        if (db != null) {
            return stats.postgresBytes();
        }
        try (Stream<Path> files = Files.walk(h2Dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private void createSchema(String schema) throws SQLException {
        execute("create schema " + schema);
    }

    private void vacuum(String table) throws SQLException {
        execute("vacuum " + table);
    }

    private void dropSchema(String schema) throws SQLException {
        execute("drop schema if exists " + schema + " cascade");
    }

    /** One statement on the PostgreSQL database given, outside the store (its own connection, autocommit). */
    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db, dbUser, dbPassword); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static double seconds(long nanos) {
        return round(nanos / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Stage times of the run in progress, from the engine's listener. */
    private static final class Timings implements SyncListener {
        final Map<Stage, Duration> stages = new EnumMap<>(Stage.class);
        private final LiveHeap live;
        private long fetched;
        long started;
        double seconds;

        Timings(LiveHeap live) {
            this.live = live;
        }

        @Override
        public void pageFetched(RecordKind kind, int records, int problems) {
            if (live != null && (fetched + records) / 100_000 > fetched / 100_000) {
                live.sample(); // the page is in hand, as is whatever the run keeps while it fetches
            }
            fetched += records;
        }

        @Override
        public void kindDecided(RecordKind kind, KindCounts counts) {
            if (live != null) {
                live.sample();
            }
        }

        @Override
        public void stagesTimed(String runId, Map<Stage, Duration> timed) {
            stages.putAll(timed);
        }
    }

    /**
     * What the engine really holds: the heap used right after a full collection, taken at points of the run (sampling
     * after the collections the JVM chooses overstates it, since a young collection leaves the old generation's garbage).
     */
    private static final class LiveHeap {
        private long peak;
        private int samples;

        synchronized void sample() {
            System.gc();
            peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            samples++;
        }

        synchronized long peak() {
            return peak;
        }

        synchronized int samples() {
            return samples;
        }
    }

    /** Highest heap used, sampled every 10 ms on a daemon thread. */
    private static final class HeapPeak {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private volatile boolean running = true;
        private volatile boolean paused;
        private final Thread thread;

        private HeapPeak() {
            thread = new Thread(() -> {
                while (running) {
                    if (paused) {
                        sleepQuietly();
                        continue;
                    }
                    peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    long live = 0;
                    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                            live += pool.getCollectionUsage().getUsed();
                        }
                    }
                    peakAfterGc.accumulateAndGet(live, Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-peak");
            thread.setDaemon(true);
        }

        private static void sleepQuietly() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void pause() {
            paused = true;
        }

        /** Samples again, after a collection that frees what was allocated while paused. */
        void resume() {
            System.gc();
            paused = false;
        }

        static HeapPeak start() {
            System.gc();
            HeapPeak h = new HeapPeak();
            h.thread.start();
            return h;
        }

        /** The highest heap used, sampled (garbage included). */
        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak.get();
        }

        /** The highest heap still used right after a collection: what the engine really holds. */
        long peakAfterGc() {
            return peakAfterGc.get();
        }
    }
}
