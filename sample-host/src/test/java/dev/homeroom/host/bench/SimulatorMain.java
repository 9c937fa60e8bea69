package dev.homeroom.host.bench;

import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictCounts;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.IOException;
import java.util.Locale;

/**
 * Not a test: serves a synthetic district with {@link CleverSimulator} in its own JVM, so a benchmark can measure the
 * engine's heap without the simulator's. Started by {@link FetchHeapBenchmark}; can be run by hand too.
 *
 * <pre>{@code java -cp <sample-host test classpath> dev.homeroom.host.bench.SimulatorMain [students] [schools] [token] [port]}</pre>
 *
 * <p>Prints two lines on stdout and nothing else there (logs go to stderr):
 * {@code PORT <port>} and {@code COUNTS districts=… schools=… terms=… courses=… sections=… users=…}. Serves until its
 * stdin closes (so it dies with the parent that started it) or it is killed.
 */
public final class SimulatorMain {
    public static final String DEFAULT_TOKEN = "homeroom-bench-token";

    private SimulatorMain() {}

    public static void main(String[] args) throws IOException {
        int students = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int schools = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String token = args.length > 2 ? args[2] : DEFAULT_TOKEN;
        int port = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(students).schools(schools).seed(2024).build());
        DistrictCounts c = district.counts();
        CleverSimulator sim = CleverSimulator.builder().district(district).token(token).port(port).build().start();
        System.out.println("PORT " + sim.port());
        System.out.println(String.format(Locale.ROOT, "COUNTS districts=%d schools=%d terms=%d courses=%d sections=%d users=%d",
                c.districts(), c.schools(), c.terms(), c.courses(), c.sections(), c.users()));
        System.out.flush();
        // Serve until the parent closes our stdin (or dies), then stop.
        while (System.in.read() >= 0) {
            // ignore input
        }
        System.err.printf(Locale.ROOT, "simulator: stdin closed after %d requests; stopping%n", sim.requestCount());
        sim.close();
        System.exit(0);
    }
}
