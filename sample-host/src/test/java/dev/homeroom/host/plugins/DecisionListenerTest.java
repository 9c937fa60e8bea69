package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.spi.DecidedBatch;
import dev.homeroom.spi.DecidedRecord;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RunListener;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run listeners that ask for decisions (SPI 1.2) hear every record's decision of their own districts, one call per decide
 * batch; a listener that does not ask hears none, and a plugin of another district hears nothing.
 */
class DecisionListenerTest {
    private final SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(120).schools(2).build());

    @TempDir
    Path dir;

    @Test
    void aListenerThatAsksHearsEachBatchOfItsDistrictsDecisions() throws java.io.IOException {
        // ALL (P24): the re-sync below decides every record again, so the listener hears unchanged decisions too
        Path policies = Files.writeString(dir.resolve("policies.properties"), "sync.full_run_decides = ALL\n");
        Audit hearing = new Audit("hearing", district.districtId(), true);
        Audit counting = new Audit("counting", district.districtId(), false);
        Audit elsewhere = new Audit("elsewhere", "another-district", true);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                     .store(StoreConfig.h2Memory("decisions" + UUID.randomUUID().toString().replace("-", ""))).policiesFile(policies)
                     .decideBatchSize(50).plugin(hearing).plugin(counting).plugin(elsewhere).build()) {
            SyncReport report = engine.sync(SyncMode.FULL);

            List<DecidedBatch> users = hearing.batches.stream().filter(b -> b.kind() == RecordKind.USER).toList();
            long fetched = report.counts("users").fetched();
            assertThat(users).as("one call per batch of 50").hasSize((int) ((fetched + 49) / 50))
                    .allSatisfy(b -> {
                        assertThat(b.decisions()).hasSizeLessThanOrEqualTo(50);
                        assertThat(b.runId()).isEqualTo(report.runId());
                        assertThat(b.districtId()).isEqualTo(district.districtId());
                    });
            List<DecidedRecord> all = users.stream().flatMap(b -> b.decisions().stream()).toList();
            assertThat(all).hasSize((int) fetched).allSatisfy(d -> assertThat(d.changed()).isTrue());
            String classless = district.idsWith(Quirk.STUDENT_NO_SECTIONS).get(0);
            assertThat(all).filteredOn(d -> d.cleverId().equals(classless)).singleElement().satisfies(d -> {
                assertThat(d.outcome()).isEqualTo(Outcome.SKIPPED);
                assertThat(d.ruleId()).isEqualTo("P1-SKIP-CLASSLESS-STUDENT");
                assertThat(d.previousOutcome()).isNull();
            });
            assertThat(hearing.batches.stream().filter(b -> b.kind() == RecordKind.SECTION).mapToLong(b -> b.decisions().size()).sum())
                    .isEqualTo(report.counts("sections").fetched());
            assertThat(counting.batches).as("it did not ask").isEmpty();
            assertThat(elsewhere.batches).as("another district's plugin").isEmpty();

            hearing.batches.clear();
            engine.sync(SyncMode.FULL);
            assertThat(hearing.batches.stream().filter(b -> b.kind() == RecordKind.USER).flatMap(b -> b.decisions().stream()))
                    .as("an unchanged re-sync: same outcomes, nothing changed").hasSize((int) fetched)
                    .allSatisfy(d -> {
                        assertThat(d.changed()).isFalse();
                        assertThat(d.previousOutcome()).isEqualTo(d.outcome());
                    });
        }
    }

    private static final class Audit extends dev.homeroom.host.testing.TestPlugin implements RunListener {
        final boolean hears;
        final List<DecidedBatch> batches = new CopyOnWriteArrayList<>();

        Audit(String name, String district, boolean hears) {
            super(name, district);
            this.hears = hears;
        }

        @Override
        public List<RunListener> runListeners() {
            return List.of(this);
        }

        @Override
        public boolean hearsDecisions() {
            return hears;
        }

        @Override
        public void batchDecided(PluginContext context, DecidedBatch batch) {
            batches.add(batch);
        }
    }
}
