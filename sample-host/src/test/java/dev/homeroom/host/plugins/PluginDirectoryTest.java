package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars a partner ships, loaded from {@code --plugins DIR}: built here from source against engine-spi alone. A jar
 * built for an SPI this engine cannot run, or one whose service file names a class it does not hold, is refused with a
 * message naming it; the other plugins load and the sync runs with them.
 */
class PluginDirectoryTest {
    private static final String GREENVILLE_RULE = "GREENVILLE-WARN-SCHOOL-SEEN";

    private final SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(80).schools(2).build());

    @TempDir
    Path tmp;

    @Test
    void loadsPluginJarsFromTheDirectoryAndRefusesOneBuiltForAnotherSpi() throws IOException {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        greenvilleJar(plugins);
        futureJar(plugins);
        brokenJar(plugins);

        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim).pluginDirectory(plugins).build()) {

            assertThat(engine.pluginNames()).as("the class path's example plugins and the directory's").containsExactlyInAnyOrder("springfield", "licenses", "greenville");
            assertThat(engine.refusedPlugins()).anySatisfy(m -> assertThat(m).contains("HR-PLUGIN-002").contains("'future-district'")
                    .contains("SPI 2.0"));
            assertThat(engine.refusedPlugins()).anySatisfy(m -> assertThat(m).contains("HR-PLUGIN-003").contains("test.broken.MissingPlugin"));
            assertThat(engine.refusedPlugins()).hasSize(2);

            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.status()).as(report.failure()).isEqualTo(SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(report.counts("schools").created()).isEqualTo(district.counts().of("schools"));

            // greenville's rule file, read from its jar, decided this run: one warning per school
            List<DataIssue> seen = engine.warnings(report.runId(), 10_000).stream().filter(w -> GREENVILLE_RULE.equals(w.rule())).toList();
            assertThat(seen).extracting(DataIssue::kind).containsOnly("school");
            assertThat(seen).hasSize((int) district.counts().of("schools"));
            assertThat(engine.explain(seen.get(0).cleverId()).orElseThrow().warnings())
                    .extracting(w -> w.rule() + " " + w.code()).contains(GREENVILLE_RULE + " GREENVILLE_SCHOOL");
        }
    }

    @Test
    void aDirectoryWithOnlyARefusedPluginStillSyncs() throws IOException {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        futureJar(plugins);

        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim).pluginDirectory(plugins).build()) {
            assertThat(engine.pluginNames()).as("the class path's example plugins").containsExactly("springfield", "licenses");
            assertThat(engine.refusedPlugins()).singleElement().asString().contains("HR-PLUGIN-002", "future-district");
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.status()).as(report.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(report.counts("users").created()).isPositive();
        }
    }

    /**
     * Engine defect (see the plugin report): the plugin directory's class loader has the host's as parent, and
     * ServiceLoader reads service files through the parent too, so with {@code discoverPlugins(false)} the class path's
     * plugins are loaded anyway, logged as coming from the plugin directory.
     */
    @Test
    void withoutClassPathDiscoveryOnlyTheDirectorysPluginsLoad() throws IOException {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        greenvilleJar(plugins);

        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim).discoverPlugins(false).pluginDirectory(plugins).build()) {
            assertThat(engine.pluginNames()).containsExactly("greenville");
        }
    }

    private static SyncEngine.Builder engine(CleverSimulator sim) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                .store(StoreConfig.h2Memory("plugindir" + UUID.randomUUID().toString().replace("-", "")));
    }

    /** A plugin built for this SPI that ships a rule file inside its jar. */
    static Path greenvilleJar(Path dir) throws IOException {
        return PluginJars.build(dir, "greenville.jar",
                Map.of("test.greenville.GreenvillePlugin", """
                        package test.greenville;

                        import dev.homeroom.spi.DistrictPlugin;
                        import dev.homeroom.spi.RuleFile;
                        import dev.homeroom.spi.SpiVersion;
                        import java.util.List;

                        public final class GreenvillePlugin implements DistrictPlugin {
                            public String name() { return "greenville"; }
                            public String spiVersion() { return SpiVersion.CURRENT; }
                            public List<RuleFile> ruleFiles() {
                                return List.of(RuleFile.fromResource(GreenvillePlugin.class, "/greenville/schools.drl"));
                            }
                        }
                        """),
                List.of("test.greenville.GreenvillePlugin"),
                Map.of("greenville/schools.drl", """
                        package homeroom.plugins.greenville;

                        import dev.homeroom.spi.*;

                        // why: shows that a rule file shipped in a plugin jar decides the plugin's districts
                        rule "GREENVILLE-WARN-SCHOOL-SEEN note every school Greenville syncs"
                            @id("GREENVILLE-WARN-SCHOOL-SEEN")
                        when
                            $s : SchoolFact( )
                        then
                            insert(new DataWarning(RecordKind.SCHOOL, $s.id(), "GREENVILLE_SCHOOL", null, "seen by greenville",
                                "GREENVILLE-WARN-SCHOOL-SEEN"));
                        end
                        """));
    }

    /**
     * A plugin compiled against a future SPI 2.0 (its constant, copied into the class, says so); like the example plugin
     * it applies to no district unless told to, so a district it was not told about syncs without it.
     */
    static Path futureJar(Path dir) throws IOException {
        return PluginJars.build(dir, "future.jar",
                Map.of("test.future.FuturePlugin", """
                        package test.future;

                        import dev.homeroom.spi.DistrictPlugin;

                        public final class FuturePlugin implements DistrictPlugin {
                            public String name() { return "future-district"; }
                            public String spiVersion() { return "2.0"; }
                            public boolean appliesTo(String districtId) { return false; }
                        }
                        """),
                List.of("test.future.FuturePlugin"), Map.of());
    }

    /** A jar whose service file names a class it does not hold; sorted first, so it is loaded before the others. */
    static Path brokenJar(Path dir) throws IOException {
        return PluginJars.build(dir, "a-broken.jar",
                Map.of("test.broken.Unrelated", "package test.broken; public final class Unrelated {}"),
                List.of("test.broken.MissingPlugin"), Map.of());
    }
}
