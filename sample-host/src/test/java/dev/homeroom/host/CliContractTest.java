package dev.homeroom.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line is a contract (docs/CLI.md): commands, exit codes, one JSON object on stdout, one-line errors. */
class CliContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyntheticDistrict district = SyntheticDistrict.demo();
    private CleverSimulator sim;
    private String db;

    record Result(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void start() {
        sim = CleverSimulator.builder().district(district).build().start();
        db = "jdbc:h2:mem:cli" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HomeroomCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Result sync(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("sync", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(), "--db", db));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void syncJsonReportsExactFetchedCountsAndTheDocumentedShape() throws Exception {
        Result r = sync("--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = r.json();
        assertThat(report.path("status").asText()).isIn("SUCCEEDED", "SUCCEEDED_WITH_WARNINGS");
        assertThat(report.path("mode").asText()).isEqualTo("full");
        assertThat(report.path("districtId").asText()).isEqualTo(district.districtId());
        for (String field : List.of("runId", "startedAt", "finishedAt", "warnings", "errors")) {
            assertThat(report.has(field)).as(field).isTrue();
        }
        for (String kind : List.of("users", "sections", "terms", "schools", "courses")) {
            JsonNode c = report.path("counts").path(kind);
            for (String counter : List.of("fetched", "created", "updated", "unchanged", "skipped", "deactivated", "reactivated", "errors")) {
                assertThat(c.has(counter)).as(kind + "." + counter).isTrue();
            }
            assertThat(c.path("fetched").asLong()).as(kind).isEqualTo(district.counts().of(kind));
        }
    }

    @Test
    void explainJsonAnswersWhyAndUnknownIdsExitOne() throws Exception {
        assertThat(sync().code()).isZero();
        String classless = district.idsWith(Quirk.STUDENT_NO_SECTIONS).get(0);
        Result r = run("explain", classless, "--db", db, "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode e = r.json();
        assertThat(e.path("cleverId").asText()).isEqualTo(classless);
        assertThat(e.path("kind").asText()).isEqualTo("user");
        assertThat(e.path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(e.path("roles").toString()).contains("student");
        assertThat(e.path("decisions").get(0).path("rule").asText()).isEqualTo("P1-SKIP-CLASSLESS-STUDENT");
        assertThat(e.path("decisions").get(0).path("reason").asText()).isNotBlank();
        assertThat(e.path("provisioned").isNull()).isTrue();

        String section = district.idsWith(Quirk.SECTION_NO_NAME).get(0);
        JsonNode s = run("explain", section, "--db", db, "--json").json();
        assertThat(s.path("kind").asText()).isEqualTo("section");
        assertThat(s.path("provisioned").path("display_name").asText()).as("a generated display name").isNotBlank();

        Result unknown = run("explain", "000000000000000000000000", "--db", db, "--json");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("no record");
    }

    @Test
    void planAppliesNothing() throws Exception {
        Result r = run("plan", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(), "--db", db, "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().path("status").asText()).isEqualTo("PLANNED");
        assertThat(r.json().path("counts").path("users").path("created").asLong()).isPositive();
        String someone = district.idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0);
        assertThat(run("explain", someone, "--db", db).code()).as("nothing was stored by a plan").isEqualTo(1);
        assertThat(sync("--json").json().path("counts").path("users").path("created").asLong())
                .isEqualTo(r.json().path("counts").path("users").path("created").asLong());
    }

    @Test
    void planListsTheFirstChangesWithRuleAndReasonAndCountsTheRest() throws Exception {
        Result r = run("plan", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(), "--db", db, "--json", "--changes", "5");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode plan = r.json();
        long total = 0;
        for (JsonNode counts : plan.path("counts")) {
            total += counts.path("created").asLong() + counts.path("updated").asLong() + counts.path("deactivated").asLong()
                    + counts.path("reactivated").asLong();
        }
        assertThat(plan.path("changeCount").asLong()).as("every record the counts say changes").isEqualTo(total);
        assertThat(plan.path("changes")).hasSize(5);
        assertThat(plan.path("changesNotListed").asLong()).isEqualTo(total - 5);
        for (JsonNode c : plan.path("changes")) {
            assertThat(c.path("change").asText()).isEqualTo("CREATED");
            assertThat(c.path("kind").asText()).isNotBlank();
            assertThat(c.path("cleverId").asText()).isNotBlank();
            assertThat(c.path("rule").asText()).isNotBlank();
            assertThat(c.path("reason").asText()).isNotBlank();
        }

        Result text = run("plan", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(), "--db", db, "--changes", "3");
        assertThat(text.code()).as(text.err()).isZero();
        List<String> lines = text.out().lines().toList();
        int at = lines.indexOf(String.format(java.util.Locale.ROOT, "changes: %,d records would change; the first 3:", total));
        assertThat(at).as(text.out()).isNotNegative();
        assertThat(lines.subList(at + 1, at + 4)).allSatisfy(l -> assertThat(l).matches("  CREATED +\\S+ +\\S+ +\\S+: .+"));
        assertThat(lines.get(at + 4)).startsWith(String.format(java.util.Locale.ROOT, "  … and %,d more", total - 3));
    }

    @Test
    void aRunThatWouldDeactivateTooManyAccountsHaltsUntilApproved() throws Exception {
        assertThat(sync().code()).isZero();
        // the same district, now sharing far fewer students: most accounts would go
        SyntheticDistrict shrunk = SyntheticDistrict.of(DistrictSpec.builder().students(120).seed(district.spec().seed()).build());
        assertThat(shrunk.districtId()).isEqualTo(district.districtId());
        sim.advanceTo(shrunk);
        Result halted = sync("--json");
        assertThat(halted.code()).as(halted.err()).isEqualTo(3);
        JsonNode h = halted.json();
        assertThat(h.path("status").asText()).isEqualTo("HALTED");
        assertThat(h.path("guard").asText()).contains("safety.max_deactivation_ratio");
        long byRule = 0;
        for (JsonNode n : h.path("deactivatedByRule")) {
            byRule += n.asLong();
        }
        assertThat(byRule).as("every deactivation is attributed to a rule").isEqualTo(h.path("counts").path("users").path("deactivated").asLong()
                + h.path("counts").path("sections").path("deactivated").asLong() + h.path("counts").path("terms").path("deactivated").asLong()
                + h.path("counts").path("schools").path("deactivated").asLong() + h.path("counts").path("courses").path("deactivated").asLong());
        String someoneStaying = district.idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).stream()
                .filter(id -> shrunk.record(id).isEmpty()).findFirst().orElseThrow();
        assertThat(run("explain", someoneStaying, "--db", db, "--json").json().path("outcome").asText())
                .as("nothing applied while halted").isEqualTo("PROVISIONED");

        Result approved = run("approve", h.path("runId").asText(), "--clever-url", sim.baseUrl().toString(), "--token", sim.token(),
                "--db", db, "--json");
        assertThat(approved.code()).as(approved.err() + approved.out()).isZero();
        assertThat(approved.json().path("counts").path("users").path("deactivated").asLong())
                .isEqualTo(h.path("counts").path("users").path("deactivated").asLong());
        assertThat(run("explain", someoneStaying, "--db", db, "--json").json().path("outcome").asText()).isEqualTo("DEACTIVATED");

        Result again = run("approve", h.path("runId").asText(), "--clever-url", sim.baseUrl().toString(), "--token", sim.token(), "--db", db);
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("not HALTED");
    }

    @Test
    void runsAndWarningsListWhatHappened() throws Exception {
        JsonNode report = sync("--json").json();
        Result runs = run("runs", "--db", db, "--json");
        assertThat(runs.code()).isZero();
        assertThat(runs.json().get(0).path("runId").asText()).isEqualTo(report.path("runId").asText());
        Result warnings = run("warnings", report.path("runId").asText(), "--db", db, "--json");
        assertThat(warnings.code()).isZero();
        assertThat(warnings.json().size()).isEqualTo(report.path("warnings").asInt() + report.path("errors").asInt());
        assertThat(warnings.json().get(0).path("cleverId").asText()).isNotBlank();
    }

    @Test
    void warningsSaysWhenItShowsFewerThanTheRunStoredAndExplainNamesTheRun() throws Exception {
        JsonNode report = sync("--json").json();
        String runId = report.path("runId").asText();
        int stored = report.path("warnings").asInt() + report.path("errors").asInt();
        assertThat(stored).as("the demo district has warnings").isGreaterThan(3);

        Result three = run("warnings", runId, "--db", db, "--limit", "3");
        assertThat(three.code()).isZero();
        assertThat(three.out().strip().lines().toList()).hasSize(4).last().asString()
                .isEqualTo(String.format(java.util.Locale.ROOT, "3 of %,d warnings and handled errors; use --limit %d to see them all", stored, stored));
        Result threeJson = run("warnings", runId, "--db", db, "--limit", "3", "--json");
        assertThat(threeJson.json().size()).isEqualTo(3);
        assertThat(threeJson.err()).contains("3 of ").contains("use --limit");
        Result all = run("warnings", runId, "--db", db, "--limit", Integer.toString(stored));
        assertThat(all.out().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo(String.format(java.util.Locale.ROOT, "%,d warnings and handled errors", stored));

        // a rule's warning in explain names the run it came from, and still does after a run that found it again
        String warned = run("warnings", runId, "--db", db, "--json").json().findValuesAsText("cleverId").stream()
                .filter(id -> {
                    try {
                        JsonNode e = run("explain", id, "--db", db, "--json").json();
                        return e.path("warnings").size() > 0 && !e.path("warnings").get(0).path("rule").asText().startsWith("engine:");
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }).findFirst().orElseThrow();
        sync("--json");
        JsonNode explained = run("explain", warned, "--db", db, "--json").json();
        assertThat(explained.path("warnings").get(0).path("runId").asText()).isEqualTo(runId);
        assertThat(run("explain", warned, "--db", db).out()).contains(", run " + runId + ")");
    }

    @Test
    void badUsageAndBadConfigurationExitTwoWithOneLine() {
        Result noToken = run("sync", "--clever-url", sim.baseUrl().toString(), "--db", db);
        if (System.getenv("CLEVER_TOKEN") == null) {
            assertOneLineUsage(noToken, "no Clever token");
        }
        assertOneLineUsage(run("sync", "--clever-url", "http://clever.example.com", "--token", "t", "--db", db), "https");
        assertOneLineUsage(run("sync", "--token", "t", "--db", "jdbc:mysql://x/y"), "jdbc:h2:file:");
        assertOneLineUsage(run("runs", "--db", "jdbc:postgresql://127.0.0.1:1/nowhere", "--db-user", "x"), "cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere");
        assertOneLineUsage(run("sync", "--token", "t", "--db", db, "--rules", "/no/such/dir"), "rules directory not found");
        assertOneLineUsage(run("sync", "--token", "t", "--db", db, "--mode", "sometimes", "--clever-url", sim.baseUrl().toString()), "--mode");
        Result unknown = run("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).doesNotContain("\tat ");
    }

    @Test
    void aRejectedTokenEndsTheRunFailedWithExitOne() throws Exception {
        Result r = run("sync", "--clever-url", sim.baseUrl().toString(), "--token", "wrong-token", "--db", db, "--json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.json().path("status").asText()).isEqualTo("FAILED");
        assertThat(r.json().path("failure").asText()).contains("rejected").doesNotContain("wrong-token");
    }

    @Test
    void rulesCheckPrintsFileAndLineOfASyntaxError(@TempDir Path dir) throws Exception {
        Result ok = run("rules", "check");
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();

        Files.writeString(dir.resolve("broken.drl"), """
                package homeroom.rules;
                import dev.homeroom.spi.*;

                rule "X-1 broken"
                when
                    $u : UserFact( hasRole("student") &&& )
                then
                end
                """);
        Result broken = run("rules", "check", "--rules", dir.toString());
        assertThat(broken.code()).isEqualTo(1);
        assertThat(broken.out()).containsPattern("broken\\.drl:6:\\d+: ");
    }

    @Test
    void rulesTestRunsScenarioFiles(@TempDir Path dir) throws Exception {
        Path passing = dir.resolve("classless.scenario");
        Files.writeString(passing, """
                scenario: a classless student is skipped
                user stu-1 roles=student student_sections=0
                expect user stu-1 outcome=SKIPPED rule=P1-SKIP-CLASSLESS-STUDENT
                """);
        Path failing = dir.resolve("wrong.scenario");
        Files.writeString(failing, """
                scenario: a wrong expectation fails
                user stu-2 roles=student student_sections=0
                expect user stu-2 outcome=PROVISIONED
                """);
        Result r = run("rules", "test", passing.toString(), failing.toString());
        assertThat(r.out()).contains("PASS a classless student is skipped").contains("FAIL a wrong expectation fails")
                .contains("1 passed, 1 failed");
        assertThat(r.code()).isEqualTo(1);
        assertThat(run("rules", "test", passing.toString()).code()).isZero();
    }

    private static void assertOneLineUsage(Result r, String mentions) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(mentions);
        assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
        assertThat(r.err()).doesNotContain("\tat ");
    }
}
