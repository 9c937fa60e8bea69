package dev.homeroom.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 item 3: {@code changes}, {@code approve --only/--except} and {@code revert} on the command line. */
class CliLifecycleTest {
    private static final Pattern RUN_ID = Pattern.compile("\"runId\":\"(run-[^\"]+)\"");
    private static final Pattern CHANGE = Pattern.compile("^([a-z]-[0-9a-f]{12}) +(\\S+) +(\\S+) +(\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @Test
    void aManualPlanIsApprovedChangeByChangeAndARunIsReverted() throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        Path policies = Files.writeString(tmp.resolve("manual.properties"), "sync.strategy = MANUAL\n");
        String db = "jdbc:h2:mem:lifecycle" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start()) {
            String[] common = {"--clever-url", sim.baseUrl().toString(), "--token", sim.token(), "--db", db, "--policies", policies.toString()};
            CliContractTest.Result first = CliContractTest.run(args(List.of("sync", "--json"), common));
            assertThat(first.code()).as(first.err()).isEqualTo(HomeroomCli.HALTED);
            CliContractTest.Result whole = CliContractTest.run(args(List.of("approve", runId(first)), common));
            assertThat(whole.code()).as(whole.err()).isZero();

            sim.advanceTo(district.next());
            CliContractTest.Result halted = CliContractTest.run(args(List.of("sync"), common));
            assertThat(halted.code()).isEqualTo(HomeroomCli.HALTED);
            String haltedId = halted.out().substring(4, halted.out().indexOf(' ', 4));
            assertThat(halted.out()).contains("changes " + haltedId, "approve " + haltedId + " --only ID");

            CliContractTest.Result listed = CliContractTest.run("changes", haltedId, "--db", db);
            assertThat(listed.code()).as(listed.err()).isZero();
            List<String> ids = new ArrayList<>();
            Matcher m = CHANGE.matcher(listed.out());
            List<String> independent = new ArrayList<>(); // changes nothing else in the plan follows: no membership, no deactivation
            while (m.find()) {
                ids.add(m.group(1));
                if (!m.group(3).equals("membership") && !m.group(2).equals("DEACTIVATED")) {
                    independent.add(m.group(1));
                }
            }
            assertThat(independent).hasSizeGreaterThan(2);
            ids.removeAll(independent.subList(0, 2));
            ids.addAll(0, independent.subList(0, 2));
            assertThat(listed.out()).contains(ids.size() + " planned changes");

            CliContractTest.Result both = CliContractTest.run(args(List.of("approve", haltedId, "--only", ids.get(0), "--except", ids.get(1)), common));
            assertThat(both.code()).isEqualTo(HomeroomCli.USAGE);
            assertThat(both.err()).contains("HR-CONFIG-096").hasLineCount(1);

            CliContractTest.Result some = CliContractTest.run(args(List.of("approve", haltedId, "--only", ids.get(0) + "," + ids.get(1), "--json"), common));
            assertThat(some.code()).as(some.err()).isZero();
            assertThat(some.out()).contains("approved in part: applied 2 of the " + ids.size() + " planned changes");
            String applied = runId(some);

            CliContractTest.Result plan = CliContractTest.run(args(List.of("plan", "--json"), common));
            List<String> next = new ArrayList<>();
            Matcher n = CHANGE.matcher(CliContractTest.run("changes", runId(plan), "--db", db).out());
            while (n.find()) {
                next.add(n.group(1));
            }
            assertThat(next).as("what was not approved is in the next plan").containsAll(ids.subList(2, ids.size()))
                    .doesNotContain(ids.get(0), ids.get(1));

            CliContractTest.Result revert = CliContractTest.run("revert", applied, "--db", db, "--policies", policies.toString());
            assertThat(revert.code()).as(revert.out() + revert.err()).isZero();
            assertThat(revert.out()).contains("mode revert");
            CliContractTest.Result again = CliContractTest.run("plan", "--json", "--clever-url", sim.baseUrl().toString(), "--token",
                    sim.token(), "--db", db, "--policies", policies.toString());
            List<String> afterRevert = new ArrayList<>();
            Matcher a = CHANGE.matcher(CliContractTest.run("changes", runId(again), "--db", db).out());
            while (a.find()) {
                afterRevert.add(a.group(1));
            }
            assertThat(afterRevert).as("reverted: the two approved changes are to do again").contains(ids.get(0), ids.get(1));

            CliContractTest.Result unknown = CliContractTest.run("revert", "run-nope", "--db", db);
            assertThat(unknown.code()).isEqualTo(HomeroomCli.USAGE);
            assertThat(unknown.err()).contains("HR-CONFIG-090").hasLineCount(1);
            CliContractTest.Result notApplied = CliContractTest.run("revert", haltedId, "--db", db);
            assertThat(notApplied.err()).contains("HR-CONFIG-091");
        }
    }

    private static String[] args(List<String> first, String[] common) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(common));
        return all.toArray(String[]::new);
    }

    private static String runId(CliContractTest.Result r) {
        Matcher m = RUN_ID.matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        return m.group(1);
    }
}
