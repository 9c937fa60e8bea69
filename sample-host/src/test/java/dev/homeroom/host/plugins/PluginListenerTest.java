package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.KindOutcome;
import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RunEnd;
import dev.homeroom.spi.RunListener;
import dev.homeroom.spi.RunStart;
import dev.homeroom.spi.SpiVersion;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Plugin run listeners (SPI 1.1) hear the runs of their own districts only, with a context that names the district and
 * carries the plugin's settings; one that throws costs the run nothing. The report lists the plugins loaded, with
 * version, SPI version and where they came from, beside those refused; SPI versions are checked as major.minor.
 */
class PluginListenerTest {
    private final SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(80).schools(2).build());

    @Test
    void aPluginHearsTheRunsOfItsDistrictAndNoOtherPluginDoes() {
        Audit mine = new Audit("audit", district.districtId(), false);
        Audit other = new Audit("other-district", "some-other-district", false);
        Audit broken = new Audit("broken-audit", district.districtId(), true);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim).plugin(mine).plugin(other).plugin(broken).pluginSetting("audit", "target", "ledger-7").build()) {
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.status()).as(report.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);

            assertThat(mine.heard).first().asString().isEqualTo("start " + report.runId() + " " + district.districtId() + " full");
            assertThat(mine.heard).last().asString().isEqualTo("end " + report.runId() + " " + report.status());
            assertThat(mine.heard).contains("kind users fetched=" + report.counts("users").fetched() + " created="
                    + report.counts("users").created() + " skipped=" + report.counts("users").skipped());
            assertThat(mine.heard).filteredOn(l -> l.startsWith("kind ")).hasSize(RecordKind.values().length - 1); // every kind but the district
            assertThat(mine.contexts).allSatisfy(c -> {
                assertThat(c.districtId()).contains(district.districtId());
                assertThat(c.settings()).containsEntry("target", "ledger-7");
                assertThat(c.logger().getName()).isEqualTo("homeroom.plugin.audit");
                assertThat(c.clock()).isNotNull();
            });
            assertThat(mine.skippedAtEnd).isEqualTo(report.skippedByRule());
            assertThat(other.heard).as("a plugin for another district").isEmpty();
            assertThat(broken.heard).as("it was called, threw, and the run carried on").isNotEmpty();

            // a second run is heard again, with its own id
            SyncReport second = engine.sync(SyncMode.FULL);
            assertThat(mine.heard).contains("start " + second.runId() + " " + district.districtId() + " full");
        }
    }

    @Test
    void theReportListsLoadedPluginsWithVersionSpiAndJar() {
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim).plugin(new Versioned("newer-minor", "1.99")).plugin(new Versioned("next-major", "2.0"))
                     .plugin(new Versioned("garbled", "one.two")).plugin(new Versioned("older-minor", "1.0")).build()) {
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.loadedPlugins()).anySatisfy(l -> assertThat(l).startsWith("springfield ")
                    .contains("(SPI " + SpiVersion.CURRENT + ")").containsPattern("from class path \\S*(plugin-springfield|springfield/target/classes)"));
            assertThat(report.loadedPlugins()).anySatisfy(l -> assertThat(l).startsWith("older-minor 3.1.4 (SPI 1.0) from host "));
            assertThat(report.refusedPlugins()).anySatisfy(m -> assertThat(m).startsWith("HR-PLUGIN-010 plugin 'newer-minor' 3.1.4")
                    .contains("needs SPI 1.99, newer than this engine's SPI " + SpiVersion.running()));
            assertThat(report.refusedPlugins()).anySatisfy(m -> assertThat(m).startsWith("HR-PLUGIN-002 plugin 'next-major'")
                    .contains("built for SPI 2.0"));
            assertThat(report.refusedPlugins()).anySatisfy(m -> assertThat(m).startsWith("HR-PLUGIN-011 plugin 'garbled'")
                    .contains("'one.two'"));
            assertThat(report.refusedPlugins()).hasSize(3);
            assertThat(dev.homeroom.engine.internal.ReportJson.toJson(report)).contains("\"loadedPlugins\":[\"");
        }
    }

    private static SyncEngine.Builder engine(CleverSimulator sim) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                .store(StoreConfig.h2Memory("listeners" + UUID.randomUUID().toString().replace("-", "")));
    }

    /** A partner's audit: writes down what it hears. */
    private static final class Audit implements DistrictPlugin, RunListener {
        final String name;
        final String district;
        final boolean throwing;
        final List<String> heard = new CopyOnWriteArrayList<>();
        final List<PluginContext> contexts = new CopyOnWriteArrayList<>();
        volatile java.util.Map<String, Long> skippedAtEnd;

        Audit(String name, String district, boolean throwing) {
            this.name = name;
            this.district = district;
            this.throwing = throwing;
        }

        @Override public String name() { return name; }
        @Override public String spiVersion() { return SpiVersion.CURRENT; }
        @Override public boolean appliesTo(String districtId) { return district.equals(districtId); }
        @Override public List<RunListener> runListeners() { return List.of(this); }

        @Override
        public void runStarted(PluginContext context, RunStart run) {
            contexts.add(context);
            heard.add("start " + run.runId() + " " + run.districtId() + " " + run.mode());
            context.logger().log(System.Logger.Level.INFO, "audit of run {0} started", run.runId());
            fail();
        }

        @Override
        public void kindDecided(PluginContext context, KindOutcome o) {
            contexts.add(context);
            heard.add("kind " + o.kind().path() + " fetched=" + o.fetched() + " created=" + o.created() + " skipped=" + o.skipped());
            fail();
        }

        @Override
        public void runFinished(PluginContext context, RunEnd run) {
            contexts.add(context);
            skippedAtEnd = run.skippedByRule();
            heard.add("end " + run.runId() + " " + run.status());
            fail();
        }

        private void fail() {
            if (throwing) {
                throw new IllegalStateException("the audit ledger is down");
            }
        }
    }

    private record Versioned(String name, String spiVersion) implements DistrictPlugin {
        @Override
        public String version() {
            return "3.1.4";
        }

        @Override
        public boolean appliesTo(String districtId) {
            return false;
        }
    }
}
