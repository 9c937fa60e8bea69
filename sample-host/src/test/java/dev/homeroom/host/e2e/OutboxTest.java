package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The host consumes what runs changed from the outbox, acknowledges it, and then sees only later changes. */
class OutboxTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void everyAppliedChangeReachesTheHostOnceAcknowledged(Vendor vendor) {
        SyntheticDistrict district = SyntheticDistrict.demo();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                     .store(TestDatabases.fresh(vendor)).discoverPlugins(false).build()) {
            SyncReport first = engine.sync(SyncMode.FULL);
            List<AppliedChange> pending = engine.pendingChanges(100_000);
            assertThat(engine.pendingChanges(100)).as("oldest first, and stable until acknowledged").isEqualTo(pending.subList(0, 100));
            assertThat(pending).filteredOn(c -> c.entity().equals("user") && c.change().equals("CREATED"))
                    .hasSize((int) first.counts("users").created());
            assertThat(pending).filteredOn(c -> c.entity().equals("section")).hasSize((int) first.counts("sections").created());
            assertThat(pending).extracting(AppliedChange::runId).containsOnly(first.runId());
            assertThat(engine.acknowledge(pending)).isEqualTo(pending.size());
            assertThat(engine.pendingChanges(10)).as("acknowledged changes are not offered again").isEmpty();
            assertThat(engine.acknowledge(pending)).as("acknowledging twice changes nothing").isZero();

            engine.sync(SyncMode.FULL);
            assertThat(engine.pendingChanges(10)).as("an unchanged run changes nothing").isEmpty();

            sim.advanceTo(district.next());
            SyncReport second = engine.sync(SyncMode.FULL);
            List<AppliedChange> later = drain(engine);
            assertThat(later).isNotEmpty().extracting(AppliedChange::runId).containsOnly(second.runId());
            assertThat(later).filteredOn(c -> c.entity().equals("user") && c.change().equals("DEACTIVATED"))
                    .hasSize((int) second.counts("users").deactivated());
        }
    }

    /** Reads every pending change in pages of 100, as a host would. */
    private static List<AppliedChange> drain(SyncEngine engine) {
        List<AppliedChange> all = new ArrayList<>();
        List<AppliedChange> page = engine.pendingChanges(100);
        while (!page.isEmpty()) {
            all.addAll(page);
            engine.acknowledge(page);
            page = engine.pendingChanges(100);
        }
        return all;
    }
}
