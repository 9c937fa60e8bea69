package dev.homeroom.host.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.homeroom.engine.internal.clever.CleverClient;
import dev.homeroom.engine.internal.clever.CleverClientConfig;
import dev.homeroom.engine.internal.clever.FetchStats;
import dev.homeroom.engine.internal.clever.FetchedRecord;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.RecordKind;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Not a test: the engine's peak heap while it fetches a whole 1,000,000-student district from the Clever simulator,
 * the simulator running in its own JVM ({@link SimulatorServer}) so that only the client's memory is measured here.
 *
 * <pre>{@code
 * java -Xmx256m -cp <sample-host test classpath> dev.homeroom.host.bench.FetchHeapBenchmark [--students N] [--schools N]
 *      [--limit 10000] [--shadow] [--child-xmx 2g]
 * }</pre>
 *
 * <p>Fetches schools, terms, courses, sections and users (every user, all roles) with {@link CleverClient#fetchAll} at
 * {@code limit=10000}, into a sink that counts records and JSON characters and then drops the page, the way the sync
 * pipeline holds at most one page at a time. {@code --shadow} also maps every record to its shadow row (payload hash
 * and join fields, as the pipeline does before writing a page) and holds the page's rows until the page is done.
 *
 * <p>Heap is reported three ways, after a full GC and a reset of every pool's peak at the start: the sum of the heap
 * pools' peak usage (an upper bound: the pools peak at different moments), the highest heap use seen by a 5 ms sampler,
 * and the highest heap use right after a collection (the live set the fetch really holds; what decides whether a
 * smaller {@code -Xmx} would still do). Fetched counts are checked against the simulator's exact counts.
 * G1 occupancy after a young collection still counts dead objects already promoted, so the exact live set comes from
 * {@code --gc-each-page}: a full GC inside the sink while it holds each page, then the heap used (slower; the peaks of
 * such a run are not representative).
 */
public final class FetchHeapBenchmark {
    private static final List<RecordKind> KINDS = List.of(RecordKind.SCHOOL, RecordKind.TERM, RecordKind.COURSE,
            RecordKind.SECTION, RecordKind.USER);

    private FetchHeapBenchmark() {}

    public static void main(String[] args) throws Exception {
        int students = 1_000_000;
        int schools = 100;
        int limit = CleverClientConfig.MAX_PAGE_LIMIT;
        boolean shadow = false;
        boolean gcEachPage = false;
        String childXmx = "2g";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--students" -> students = Integer.parseInt(args[++i]);
                case "--schools" -> schools = Integer.parseInt(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--shadow" -> shadow = true;
                case "--gc-each-page" -> gcEachPage = true;
                case "--child-xmx" -> childXmx = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --students N --schools N --limit N --shadow --gc-each-page --child-xmx SIZE)");
            }
        }

        boolean exact;
        try (SimulatorProcess sim = SimulatorProcess.start(students, schools, childXmx)) {
            Map<String, Long> expected = new HashMap<>();
            for (RecordKind kind : KINDS) {
                expected.put(kind.path(), sim.count(kind.path()));
            }
            exact = run(sim.port(), limit, shadow, gcEachPage, expected, students, schools);
        }
        if (!exact) {
            System.exit(1);
        }
    }

    /** Returns whether every collection's fetched count equals the simulator's. */
    private static boolean run(int port, int limit, boolean shadow, boolean gcEachPage, Map<String, Long> expected, int students,
            int schools)
            throws Exception {
        Method toShadow = shadow ? shadowMapper() : null;
        CleverClientConfig config = CleverClientConfig.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .token(SimulatorServer.TOKEN)
                .pageLimit(limit)
                .build();
        long heapMax = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        System.out.printf(Locale.ROOT, "fetch-heap: %d students, %d schools, limit=%d, mode=%s, -Xmx=%d MB, GC=%s, java %s, %d cpus%n",
                students, schools, limit, shadow ? "fetch+shadow" : "fetch", heapMax >> 20, gcNames(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        HeapWatch watch = new HeapWatch();
        Map<RecordKind, long[]> perKind = new EnumMap<>(RecordKind.class); // records, problems, json chars, pages
        Map<RecordKind, FetchStats> stats = new EnumMap<>(RecordKind.class);
        long start;
        long allocatedBefore;
        try (CleverClient client = new CleverClient(config)) {
            client.fetchDistrict(); // opens the connection; not counted
            watch.start();
            allocatedBefore = allocatedBytes();
            start = System.nanoTime();
            for (RecordKind kind : KINDS) {
                long[] c = perKind.computeIfAbsent(kind, k -> new long[4]);
                FetchStats s = client.fetchAll(kind, (k, records, problems) -> {
                    List<Object> rows = shadow ? new ArrayList<>(records.size()) : null;
                    for (FetchedRecord r : records) {
                        c[2] += r.json().length();
                        if (rows != null) {
                            rows.add(invoke(toShadow, r.record(), r.json()));
                        }
                    }
                    c[0] += records.size();
                    c[1] += problems.size();
                    c[3]++;
                    if (rows != null && rows.size() != records.size()) {
                        throw new IllegalStateException("shadow rows lost");
                    }
                    if (gcEachPage) {
                        watch.fullGcWhileHolding(records, rows);
                    }
                });
                stats.put(kind, s);
                System.out.printf(Locale.ROOT, "  %-8s %9d records %4d problems %4d pages %8.1f MB %6.1f s %9.0f records/s  (heap now %d MB)%n",
                        kind.path(), s.records(), s.problems(), s.pages(), s.bytes() / 1e6, s.elapsed().toNanos() / 1e9,
                        s.records() / (s.elapsed().toNanos() / 1e9), watch.usedNow() >> 20);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = allocatedBytes() - allocatedBefore;
        watch.stop();

        long records = 0;
        long problems = 0;
        long pages = 0;
        long bytes = 0;
        long requests = 0;
        long retries = 0;
        List<String> mismatches = new ArrayList<>();
        for (RecordKind kind : KINDS) {
            FetchStats s = stats.get(kind);
            records += s.records();
            problems += s.problems();
            pages += s.pages();
            bytes += s.bytes();
            requests += s.requests();
            retries += s.retries();
            long got = s.records() + s.problems();
            Long want = expected.get(kind.path());
            if (want == null || want != got) {
                mismatches.add(kind.path() + " fetched " + got + ", simulator serves " + want);
            }
        }
        System.out.printf(Locale.ROOT, "total: %d records (%d problems), %d pages, %d requests, %d retries, %.1f MB read in %.1f s: "
                        + "%.0f records/s, %.1f MB/s, %.2f pages/s%n",
                records, problems, pages, requests, retries, bytes / 1e6, seconds, records / seconds, bytes / 1e6 / seconds,
                pages / seconds);
        System.out.printf(Locale.ROOT, "heap: peak used %d MB (sum of pool peaks), %d MB (sampled every 5 ms), "
                        + "max live after GC %d MB; %d GCs, %d ms in GC; -Xmx %d MB%n",
                watch.poolPeaks() >> 20, watch.sampledPeak() >> 20, watch.maxAfterGc() >> 20, watch.gcCount(), watch.gcMillis(),
                heapMax >> 20);
        System.out.printf(Locale.ROOT, "allocation: %.1f GB by the fetching thread, %.1f bytes per byte read, %.0f MB/s%n",
                allocated / 1e9, allocated / (double) bytes, allocated / 1e6 / seconds);
        if (gcEachPage) {
            System.out.printf(Locale.ROOT, "live heap with one page in hand (full GC at each page): max %d MB%n",
                    watch.maxLiveWithPage() >> 20);
        }
        System.out.println(mismatches.isEmpty() ? "counts: exact (every collection matches the simulator's counts)"
                : "COUNTS MISMATCH: " + mismatches);
        System.out.printf(Locale.ROOT, "RESULT students=%d limit=%d mode=%s xmx_mb=%d records=%d pages=%d mb=%.1f seconds=%.1f "
                        + "records_per_s=%.0f mb_per_s=%.1f peak_pool_mb=%d peak_sampled_mb=%d max_after_gc_mb=%d gcs=%d alloc_gb=%.1f live_with_page_mb=%s exact=%s%n",
                students, limit, shadow ? "fetch+shadow" : "fetch", heapMax >> 20, records, pages, bytes / 1e6, seconds,
                records / seconds, bytes / 1e6 / seconds, watch.poolPeaks() >> 20, watch.sampledPeak() >> 20,
                watch.maxAfterGc() >> 20, watch.gcCount(), allocated / 1e9, gcEachPage ? Long.toString(watch.maxLiveWithPage() >> 20) : "-",
                mismatches.isEmpty());
        return mismatches.isEmpty();
    }

    /** Bytes allocated so far by this thread (OkHttp reads the body on the calling thread, so this is the fetch). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static String gcNames() {
        List<String> names = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(gc.getName());
        }
        return String.join("+", names);
    }

    /** {@code ShadowMapper.toShadow} is package-private in engine-core: reached reflectively (class path, unnamed module). */
    private static Method shadowMapper() throws Exception {
        Class<?> mapper = Class.forName("dev.homeroom.engine.internal.ShadowMapper");
        Method m = mapper.getDeclaredMethod("toShadow", CleverRecord.class, String.class);
        m.setAccessible(true);
        return m;
    }

    private static Object invoke(Method m, CleverRecord record, String json) {
        try {
            return m.invoke(null, record, json);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ShadowMapper.toShadow failed", e);
        }
    }

    /** Heap pools' peaks, a 5 ms sampler of heap used, and heap used right after each collection. */
    private static final class HeapWatch {
        private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
        private final AtomicLong sampled = new AtomicLong();
        private final AtomicLong afterGc = new AtomicLong();
        private final AtomicLong gcs = new AtomicLong();
        private final AtomicLong gcMillis = new AtomicLong();
        private final AtomicLong liveWithPage = new AtomicLong();
        private volatile boolean running;
        private Thread sampler;

        HeapWatch() {
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    heapPools.add(p);
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                    if (!running || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = 0;
                    for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                        used += u.getUsed();
                    }
                    // non-heap pools (metaspace, code cache) are in the map too: subtract them
                    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (!isHeap(e.getKey())) {
                            used -= e.getValue().getUsed();
                        }
                    }
                    long u = used;
                    afterGc.accumulateAndGet(u, Math::max);
                    gcs.incrementAndGet();
                    gcMillis.addAndGet(info.getGcInfo().getDuration());
                }, null, null);
            }
        }

        private boolean isHeap(String pool) {
            for (MemoryPoolMXBean p : heapPools) {
                if (p.getName().equals(pool)) {
                    return true;
                }
            }
            return false;
        }

        void start() throws InterruptedException {
            System.gc();
            Thread.sleep(200);
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            running = true;
            sampler = new Thread(() -> {
                while (running) {
                    sampled.accumulateAndGet(usedNow(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() throws InterruptedException {
            sampled.accumulateAndGet(usedNow(), Math::max);
            running = false;
            sampler.join();
        }

        long usedNow() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        long poolPeaks() {
            long sum = 0;
            for (MemoryPoolMXBean p : heapPools) {
                sum += p.getPeakUsage().getUsed();
            }
            return sum;
        }

        /** A full GC while the sink still holds the page (and its shadow rows): what the fetch really keeps alive. */
        void fullGcWhileHolding(Object page, Object rows) {
            System.gc();
            liveWithPage.accumulateAndGet(usedNow(), Math::max);
            java.lang.ref.Reference.reachabilityFence(page);
            java.lang.ref.Reference.reachabilityFence(rows);
        }

        long maxLiveWithPage() {
            return liveWithPage.get();
        }

        long sampledPeak() {
            return sampled.get();
        }

        long maxAfterGc() {
            return afterGc.get();
        }

        long gcCount() {
            return gcs.get();
        }

        long gcMillis() {
            return gcMillis.get();
        }
    }
}
