package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.host.HomeroomCli;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A plugin applies only where it is told to, and a plugin the engine refuses never half-runs: a district it claims is
 * not synced without it, a plugin whose rules do not compile is refused whole (transformer and policy overrides too),
 * refusals show in {@code rules check}'s exit code and in every run's report, and a jar that cannot be read is said so.
 */
class PluginRefusalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(80).schools(2).build());

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HomeroomCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void theExamplePluginLeavesADistrictItWasNotToldAboutAlone(Vendor vendor) {
        String section = district.idsWith(Quirk.SECTION_GRADE_MISMATCH).get(0);
        String served = district.record(section).orElseThrow().path("name").asText();
        assertThat(served).as("a Springfield-style SIS name the plugin would rewrite").contains(" - ");
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start()) {
            try (SyncEngine engine = engine(sim, db).build()) {
                assertThat(engine.pluginNames()).contains("springfield");
                SyncReport report = engine.sync(SyncMode.FULL);
                assertThat(report.status()).as(report.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
                assertThat(engine.explain(section).orElseThrow().provisioned()).as("no districts setting: Clever's name")
                        .containsEntry("name", served);
            }
            try (SyncEngine engine = engine(sim, db).pluginSetting("springfield", "districts", district.districtId()).build()) {
                engine.sync(SyncMode.FULL);
                assertThat(engine.explain(section).orElseThrow().provisioned()).as("enabled for this district")
                        .containsEntry("name", served.substring(0, served.indexOf(" - ")));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aPluginWhoseRulesDoNotCompileIsRefusedWholeAndTheDistrictItClaimsIsNotSynced(Vendor vendor) throws IOException {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        badRulesJar(plugins);
        String section = district.idsWith(Quirk.SECTION_GRADE_MISMATCH).get(0);
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim, db).discoverPlugins(false).pluginDirectory(plugins)
                     .pluginSetting("renamer", "districts", district.districtId()).build()) {
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(report.failureCode()).isEqualTo("HR-PLUGIN-006");
            assertThat(report.failure()).contains("plugin 'renamer' is refused", "renamer/broken.drl:", "not synced without it");
            assertThat(report.refusedPlugins()).singleElement().asString().contains("HR-PLUGIN-006", "'renamer'");
            assertThat(report.counts("sections").created()).isZero();
            assertThat(engine.explain(section)).as("nothing of the district was stored, renamed or not").isEmpty();
            assertThat(engine.refusedPlugins()).singleElement().asString().contains("HR-PLUGIN-006");
        }
        Result check = cli("rules", "check", "--plugins", plugins.toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out()).contains("renamer/broken.drl:");
        assertThat(check.err()).contains("refused plugin: HR-PLUGIN-006 plugin 'renamer' is refused");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aRefusedPluginThatClaimsTheDistrictStopsItsSyncAndEveryReportListsRefusals(Vendor vendor) throws IOException {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        PluginDirectoryTest.futureJar(plugins);
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start()) {
            List<String> args = new ArrayList<>(List.of("sync", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(),
                    "--db", db.jdbcUrl(), "--db-user", db.user(), "--plugins", plugins.toString()));
            if (db.password() != null && !db.password().isEmpty()) {
                args.addAll(List.of("--db-password", db.password()));
            }
            // the future plugin claims only the district its setting names: this one is synced, and the report says who was refused
            Result synced = cli(args.toArray(String[]::new));
            assertThat(synced.code()).as(synced.err()).isZero();
            assertThat(synced.out()).contains("refused plugin: HR-PLUGIN-002 plugin 'future-district'");
            List<String> json = new ArrayList<>(args);
            json.add("--json");
            JsonNode report = JSON.readTree(cli(json.toArray(String[]::new)).out());
            assertThat(report.path("refusedPlugins").toString()).contains("HR-PLUGIN-002", "future-district");

            // now the host says the refused plugin is for this district: the district is not synced without it
            args.addAll(List.of("--plugin-setting", "future-district.districts=" + district.districtId(), "--json"));
            Result refused = cli(args.toArray(String[]::new));
            assertThat(refused.code()).isEqualTo(1);
            JsonNode failed = JSON.readTree(refused.out());
            assertThat(failed.path("status").asText()).isEqualTo("FAILED");
            assertThat(failed.path("failureCode").asText()).isEqualTo("HR-PLUGIN-002");
            assertThat(failed.path("failure").asText()).contains("future-district", "applies to district " + district.districtId());
        }
        Result check = cli("rules", "check", "--plugins", plugins.toString());
        assertThat(check.code()).as("a refused plugin fails the check").isEqualTo(1);
        assertThat(check.err()).contains("HR-PLUGIN-002");
    }

    @Test
    void aCorruptJarInThePluginDirectoryIsRefusedInOneLine() throws IOException {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        PluginDirectoryTest.greenvilleJar(plugins);
        Path whole = PluginDirectoryTest.greenvilleJar(Files.createDirectory(tmp.resolve("whole")));
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(plugins.resolve("truncated.jar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.writeString(plugins.resolve("not-a-zip.jar"), "this is not a jar");

        try (SyncEngine engine = SyncEngine.builder().discoverPlugins(false).pluginDirectory(plugins).build()) {
            assertThat(engine.pluginNames()).containsExactly("greenville");
            assertThat(engine.refusedPlugins()).hasSize(2).allSatisfy(m -> assertThat(m).startsWith("HR-PLUGIN-009").contains("cannot be read"));
            assertThat(engine.refusedPlugins()).anySatisfy(m -> assertThat(m).contains("truncated.jar"));
            assertThat(engine.refusedPlugins()).anySatisfy(m -> assertThat(m).contains("not-a-zip.jar"));
        }
        Result check = cli("rules", "check", "--plugins", plugins.toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.err().lines().filter(l -> l.contains("not-a-zip.jar")).count()).isEqualTo(1);
        assertThat(check.err()).doesNotContain("\tat ");
    }

    @Test
    void rulesTestRunsScenariosWithThePluginsOfADirectory() throws IOException {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        PluginDirectoryTest.greenvilleJar(plugins);
        Path scenario = Files.writeString(tmp.resolve("greenville.scenario"), """
                scenario: greenville notes every school
                school sch-1
                expect school sch-1 rule=GREENVILLE-WARN-SCHOOL-SEEN warning=GREENVILLE_SCHOOL
                """);
        Result without = cli("rules", "test", scenario.toString());
        assertThat(without.code()).as("the shipped rules alone do not have greenville's rule").isEqualTo(1);
        Result with = cli("rules", "test", "--plugins", plugins.toString(), scenario.toString());
        assertThat(with.code()).as(with.out() + with.err()).isZero();
        assertThat(with.out()).contains("PASS greenville notes every school", "1 passed, 0 failed");

        Path bad = Files.createDirectory(tmp.resolve("bad"));
        badRulesJar(bad);
        Result refused = cli("rules", "test", "--plugins", bad.toString(), scenario.toString());
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("HR-PLUGIN-006").doesNotContain("\tat ");
    }

    private static SyncEngine.Builder engine(CleverSimulator sim, StoreConfig db) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db);
    }

    /**
     * A plugin that renames every section, overrides a policy, applies to the districts its setting lists, and ships a
     * rule file that does not compile.
     */
    static Path badRulesJar(Path dir) throws IOException {
        return PluginJars.build(dir, "renamer.jar",
                Map.of("test.renamer.RenamerPlugin", """
                        package test.renamer;

                        import dev.homeroom.spi.*;
                        import java.util.List;
                        import java.util.Map;
                        import java.util.Set;

                        public final class RenamerPlugin implements DistrictPlugin {
                            private volatile Set<String> districts = Set.of();
                            public String name() { return "renamer"; }
                            public String spiVersion() { return SpiVersion.CURRENT; }
                            public void configure(PluginContext context) {
                                districts = Set.of(context.settings().getOrDefault("districts", "").split(","));
                            }
                            public boolean appliesTo(String districtId) { return districts.contains(districtId); }
                            public List<RecordTransformer> recordTransformers() {
                                return List.of(new RecordTransformer() {
                                    public Section transformSection(Section section) {
                                        throw new IllegalStateException("the transformer of a refused plugin ran");
                                    }
                                });
                            }
                            public Map<String, String> policyOverrides() { return Map.of("classless.students", "PROVISION_LIMITED"); }
                            public List<RuleFile> ruleFiles() {
                                return List.of(RuleFile.fromResource(RenamerPlugin.class, "/renamer/broken.drl"));
                            }
                        }
                        """),
                List.of("test.renamer.RenamerPlugin"),
                Map.of("renamer/broken.drl", """
                        package homeroom.plugins.renamer;

                        import dev.homeroom.spi.*;

                        rule "RENAMER-1 broken"
                        when
                            $s : SectionFact( &&& )
                        then
                        end
                        """));
    }
}
