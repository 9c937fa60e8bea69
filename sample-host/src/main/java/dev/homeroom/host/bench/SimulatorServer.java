package dev.homeroom.host.bench;

import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictCounts;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Clever simulator in a process of its own, so that a benchmark's heap and cores hold the engine alone. Started by
 * {@link SimulatorProcess} with {@code <students> <schools> [seed]}, or {@code <students> realistic} for
 * {@link DistrictSpec#realistic(int)}; prints {@code PORT <port>} and {@code COUNTS …} on stdout, then obeys lines on stdin:
 * {@code events N} moves the district forward revision by revision until its event feed holds at least N events (or
 * 200 revisions) and answers {@code EVENTS <count> REVISION <r>}; {@code more N} does the same until the feed holds
 * N events beyond what it held, and answers with that number of new events; the end of stdin stops it.
 */
public final class SimulatorServer {
    public static final String TOKEN = "homeroom-bench-token";
    private static final int MAX_REVISIONS = 200;

    private SimulatorServer() {}

    static DistrictSpec spec(String[] args) {
        int students = Integer.parseInt(args[0]);
        if (args[1].equals("realistic")) {
            return DistrictSpec.realistic(students);
        }
        int schools = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 2024;
        return DistrictSpec.builder().students(students).schools(schools).seed(seed).build();
    }

    public static void main(String[] args) throws IOException {
        SyntheticDistrict district = SyntheticDistrict.of(spec(args));
        DistrictCounts c = district.counts();
        CleverSimulator sim = CleverSimulator.builder().district(district).token(TOKEN).port(0).build().start();
        System.out.println("PORT " + sim.port());
        System.out.println(String.format(Locale.ROOT, "COUNTS districts=%d schools=%d terms=%d courses=%d sections=%d users=%d",
                c.districts(), c.schools(), c.terms(), c.courses(), c.sections(), c.users()));
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            boolean more = line.startsWith("more ");
            if (line.startsWith("events ") || more) {
                long before = more ? district.eventCount() : 0;
                long wanted = before + Integer.parseInt(line.substring(line.indexOf(' ') + 1).trim());
                SyntheticDistrict next = district;
                while (next.eventCount() < wanted && next.revision() < MAX_REVISIONS) {
                    next = next.next();
                }
                district = next;
                sim.advanceTo(district);
                System.out.println("EVENTS " + (district.eventCount() - before) + " REVISION " + district.revision());
                System.out.flush();
            }
        }
        sim.close();
        System.exit(0);
    }
}
