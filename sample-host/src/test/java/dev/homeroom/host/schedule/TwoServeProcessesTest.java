package dev.homeroom.host.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code serve} processes (real OS processes, each with its own pool) share one PostgreSQL store and fifty small
 * districts, each with its own Clever token, for a simulated day: the test writes the time into the processes' clock
 * file in one-hour steps and waits each time until nothing is due or running. Every district gets its daily full sync
 * at 02:00 and an incremental every six hours after it (08:00, 14:00, 20:00), no district is skipped, both processes do work, and no two
 * runs of one district ever overlap (checked on the runs' own wall-clock times in the store).
 */
class TwoServeProcessesTest {
    private static final int DISTRICTS = 50;
    private static final Instant DAY = Instant.parse("2026-03-02T02:00:00Z");
    private static final Pattern RUN = Pattern.compile("^(\\S+Z) (d\\d+) (full|incremental) (\\S+): (\\S+) users \\+(\\d+) ~(\\d+) -(\\d+) .* on (\\S+)$");

    record Line(Instant at, String key, String mode, String trigger, String status, long created, long updated, long deactivated, String node) {}

    @TempDir
    Path dir;

    @Test
    void twoServeProcessesRunFiftyDistrictsForASimulatedDay() throws Exception {
        StoreConfig db = TestDatabases.fresh(Vendor.POSTGRESQL);
        Store.open(db).close(); // the schema, once, before the processes race for it
        List<CleverSimulator> sims = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        try {
            StringBuilder file = new StringBuilder("# fifty small districts, each its own Clever app token\n");
            Map<String, String> keyOfDistrictId = new HashMap<>();
            for (int i = 0; i < DISTRICTS; i++) {
                String key = String.format("d%02d", i);
                CleverSimulator sim = CleverSimulator.builder().threads(2).token("token-" + key)
                        .district(SyntheticDistrict.of(DistrictSpec.builder().students(40).schools(1).seed(1_000 + i)
                                .districtName("District " + key).emailDomain(key + ".example.org").build()))
                        .build().start();
                sims.add(sim);
                keyOfDistrictId.put(sim.district().districtId(), key);
                Files.writeString(dir.resolve(key + ".token"), sim.token() + "\n");
                file.append(key).append(" url=").append(sim.baseUrl()).append(" token-file=").append(key).append(".token")
                        .append(" daily=02:00 incremental=360\n");
            }
            assertThat(keyOfDistrictId).as("fifty distinct districts").hasSize(DISTRICTS);
            Path districts = dir.resolve("districts.txt");
            Files.writeString(districts, file);
            Path clock = dir.resolve("clock");
            setClock(clock, DAY);

            for (String node : List.of("node-a", "node-b")) {
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                        "-cp", System.getProperty("java.class.path"), "dev.homeroom.host.HomeroomCli", "serve",
                        "--districts", districts.toString(), "--db", db.jdbcUrl(), "--db-user", db.user(),
                        "--threads", "3", "--poll", "0.1", "--node", node, "--clock-file", clock.toString()));
                if (db.password() != null && !db.password().isEmpty()) {
                    cmd.addAll(List.of("--db-password", db.password()));
                }
                processes.add(new ProcessBuilder(cmd).redirectOutput(dir.resolve(node + ".out").toFile())
                        .redirectError(dir.resolve(node + ".err").toFile()).start());
            }
            for (String node : List.of("node-a", "node-b")) {
                RunLog.await(() -> read(dir.resolve(node + ".out")).contains("serving " + DISTRICTS + " districts")
                        || !processes.get(node.equals("node-a") ? 0 : 1).isAlive(), node + " serving");
                assertThat(read(dir.resolve(node + ".out"))).as(read(dir.resolve(node + ".err"))).contains("serving " + DISTRICTS + " districts");
            }

            Instant end = DAY.plus(Duration.ofHours(23));
            for (Instant t = DAY; !t.isAfter(end); t = t.plus(Duration.ofHours(1))) {
                if (t.equals(DAY.plus(Duration.ofHours(5)))) { // 07:00: the even districts change in Clever
                    for (int i = 0; i < DISTRICTS; i += 2) {
                        sims.get(i).advanceTo(sims.get(i).district().next());
                    }
                }
                setClock(clock, t);
                awaitQuiet(db, t, processes);
            }
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                p.waitFor();
            }

            List<Line> lines = new ArrayList<>();
            List<String> unparsed = new ArrayList<>();
            for (String node : List.of("node-a", "node-b")) {
                for (String l : Files.readAllLines(dir.resolve(node + ".out"))) {
                    if (l.startsWith("serving ")) {
                        continue;
                    }
                    Matcher m = RUN.matcher(l);
                    if (m.matches()) {
                        lines.add(new Line(Instant.parse(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5),
                                Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)), m.group(9)));
                    } else {
                        unparsed.add(node + ": " + l);
                    }
                }
            }
            assertThat(unparsed).as("every line is a completed run (no failures, no busy retries)").isEmpty();
            List<Instant> slots = Stream.iterate(DAY, t -> t.plus(Duration.ofHours(6))).limit(4).toList(); // 02:00 … 20:00
            Map<String, List<Line>> byKey = new TreeMap<>();
            lines.forEach(l -> byKey.computeIfAbsent(l.key(), k -> new ArrayList<>()).add(l));
            assertThat(byKey).as("no district skipped").hasSize(DISTRICTS);
            for (var e : byKey.entrySet()) {
                List<Line> runs = e.getValue().stream().sorted(java.util.Comparator.comparing(Line::at)).toList();
                assertThat(runs).extracting(Line::at).as(e.getKey()).containsExactlyElementsOf(slots);
                assertThat(runs).extracting(Line::mode).as(e.getKey())
                        .containsExactly("full", "incremental", "incremental", "incremental");
                assertThat(runs).extracting(Line::trigger).containsOnly("schedule");
                assertThat(runs).extracting(Line::status).containsOnly("SUCCEEDED", "SUCCEEDED_WITH_WARNINGS");
                int i = Integer.parseInt(e.getKey().substring(1));
                boolean changed = i % 2 == 0;
                for (Line l : runs.subList(1, runs.size())) {
                    boolean userChanges = l.created() + l.updated() + l.deactivated() > 0;
                    if (!changed || !l.at().equals(DAY.plus(Duration.ofHours(6)))) {
                        assertThat(userChanges).as(e.getKey() + " at " + l.at() + ": nothing changed in Clever").isFalse();
                    }
                }
            }
            long changedAtEight = lines.stream().filter(l -> l.at().equals(DAY.plus(Duration.ofHours(6))) && Integer.parseInt(l.key().substring(1)) % 2 == 0
                    && l.created() + l.updated() + l.deactivated() > 0).count();
            assertThat(changedAtEight).as("the 08:00 incrementals of the changed districts applied Clever's changes").isEqualTo(DISTRICTS / 2);
            assertThat(lines.stream().map(Line::node).distinct()).as("both processes ran districts").containsExactlyInAnyOrder("node-a", "node-b");

            // never two runs of one district at once, on the runs' own clocks as the store recorded them
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                 ResultSet rs = c.createStatement().executeQuery(
                         "select district_id, started_at, finished_at, status from sync_run order by district_id, started_at")) {
                Map<String, List<Timestamp[]>> runs = new HashMap<>();
                while (rs.next()) {
                    assertThat(rs.getString(4)).isNotEqualTo("FAILED");
                    runs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Timestamp[] {rs.getTimestamp(2), rs.getTimestamp(3)});
                }
                assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(keyOfDistrictId.keySet());
                for (var e : runs.entrySet()) {
                    assertThat(e.getValue()).as(keyOfDistrictId.get(e.getKey())).hasSize(slots.size());
                    for (int i = 1; i < e.getValue().size(); i++) {
                        assertThat(e.getValue().get(i)[0]).as(keyOfDistrictId.get(e.getKey()) + " run " + i + " starts after run " + (i - 1) + " finished")
                                .isAfterOrEqualTo(e.getValue().get(i - 1)[1]);
                    }
                }
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
            sims.forEach(CleverSimulator::close);
        }
    }

    private static void setClock(Path clock, Instant t) throws Exception {
        Path tmp = clock.resolveSibling("clock.tmp");
        Files.writeString(tmp, t.toString());
        Files.move(tmp, clock, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until all fifty districts are scheduled in the store for later than {@code t}, none picked. */
    private static void awaitQuiet(StoreConfig db, Instant t, List<Process> processes) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement q = c.prepareStatement("select count(*), sum(case when picked or execution_time <= ? then 1 else 0 end) from scheduled_tasks")) {
            q.setObject(1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            RunLog.await(() -> {
                assertThat(processes).allMatch(Process::isAlive);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == DISTRICTS && rs.getInt(2) == 0;
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "all districts ran what was due at " + t);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
