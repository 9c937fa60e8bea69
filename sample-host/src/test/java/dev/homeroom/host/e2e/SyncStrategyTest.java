package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.Change;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P21 sync.strategy: how Clever data and the edits people make coexist. */
class SyncStrategyTest {
    private final SyntheticDistrict district = SyntheticDistrict.demo();
    private final SyntheticDistrict next = district.next();
    private final String renamed = next.changes().get(Change.SECTION_RENAMED).get(0);
    private final StoreConfig db = StoreConfig.h2Memory("strategy" + UUID.randomUUID().toString().replace("-", ""));

    @TempDir
    Path dir;

    private SyncEngine engine(CleverSimulator sim, String strategy) throws Exception {
        Path policies = dir.resolve(strategy + ".properties");
        Files.writeString(policies, "sync.strategy = " + strategy + "\n");
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                .policiesFile(policies).discoverPlugins(false).build();
    }

    @Test
    void twoWayKeepsTheEditAndRecordsWhatCleverChangedBesideIt() throws Exception {
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim, "TWO_WAY")) {
            engine.sync(SyncMode.FULL);
            engine.editClassDisplayName(renamed, "Room 12 Readers");
            sim.advanceTo(next);
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(engine.explain(renamed).orElseThrow().provisioned()).containsEntry("display_name", "Room 12 Readers");
            assertThat(engine.warnings(report.runId(), 10_000))
                    .anyMatch(w -> w.cleverId().equals(renamed) && w.code().equals("EDIT_CONFLICT") && w.message().contains("Room 12 Readers"));
        }
    }

    @Test
    void sisLockdownRefusesEditsAndOverwritesEarlierOnes() throws Exception {
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start()) {
            try (SyncEngine partial = engine(sim, "PARTIAL_LOCKDOWN")) {
                partial.sync(SyncMode.FULL);
                partial.editClassDisplayName(renamed, "Room 12 Readers");
            }
            try (SyncEngine locked = engine(sim, "SIS_LOCKDOWN")) {
                assertThatThrownBy(() -> locked.editClassDisplayName(renamed, "Another name"))
                        .isInstanceOf(ConfigurationException.class).hasMessageContaining("SIS_LOCKDOWN");
                locked.sync(SyncMode.FULL);
                var section = locked.explain(renamed).orElseThrow().provisioned();
                assertThat(section.get("display_name")).isNotEqualTo("Room 12 Readers");
                assertThat(section).containsEntry("display_name_edited", false);
            }
        }
    }

    @Test
    void manualHaltsEveryPlanUntilAPersonApprovesIt() throws Exception {
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim, "MANUAL")) {
            SyncReport halted = engine.sync(SyncMode.FULL);
            assertThat(halted.status()).isEqualTo(SyncStatus.HALTED);
            assertThat(halted.guard()).contains("sync.strategy=MANUAL");
            assertThat(engine.explain(renamed)).as("nothing applied").isEmpty();
            SyncReport approved = engine.approve(halted.runId());
            assertThat(approved.status()).as(approved.guard()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(engine.explain(renamed).orElseThrow().outcome()).isEqualTo("PROVISIONED");
        }
    }
}
