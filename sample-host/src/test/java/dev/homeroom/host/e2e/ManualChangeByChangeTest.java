package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.ChangeSelection;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.PlannedChange;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.Section;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10 item 2: under {@code sync.strategy = MANUAL} a plan's changes have stable ids, a person approves some of
 * them, exactly those are applied, and the others stay pending in the next plan with the same ids.
 */
class ManualChangeByChangeTest {
    @TempDir
    Path dir;

    /** A plugin that renames chosen sections: the changes a person reviews. */
    static final class Rename extends dev.homeroom.host.testing.TransformingPlugin {
        final Map<String, String> suffixes = new ConcurrentHashMap<>();

        Rename() {
            super("rename");
        }

        @Override
        public Section transformSection(Section section) {
            String suffix = suffixes.get(section.id());
            return suffix == null ? section : section.withName(section.name() + suffix);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void approvingTwoOfFiveChangesAppliesExactlyThoseAndTheOtherThreeAreInTheNextPlan(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Rename plugin = new Rename();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin)) {
            SyncReport first = engine.sync(SyncMode.FULL);
            assertThat(first.status()).isEqualTo(SyncStatus.HALTED);
            assertThat(engine.approve(first.runId()).status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            engine.acknowledge(engine.pendingChanges(100_000));
            Map<String, String> namesBefore = classNames(db);
            List<String> five = new ArrayList<>(namesBefore.keySet()).subList(0, 5);
            five.forEach(id -> plugin.suffixes.put(id, " (renamed)"));

            SyncReport halted = engine.sync(SyncMode.FULL);
            assertThat(halted.status()).isEqualTo(SyncStatus.HALTED);
            List<PlannedChange> planned = engine.plannedChanges(halted.runId());
            assertThat(planned).hasSize(5).allMatch(c -> c.entity().equals("section") && c.change().equals("UPDATED"));
            assertThat(planned).extracting(PlannedChange::key).containsExactlyInAnyOrderElementsOf(five);
            assertThat(engine.plan(SyncMode.FULL).planFingerprint()).as("planned again: the same").isEqualTo(halted.planFingerprint());

            List<PlannedChange> two = planned.subList(0, 2);
            List<PlannedChange> three = planned.subList(2, 5);
            SyncReport approval = engine.approve(halted.runId(), ChangeSelection.only(two.stream().map(PlannedChange::id).toList()));
            assertThat(approval.status()).as(approval.guard()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(approval.guard()).contains("applied 2 of the 5 planned changes", "3 stay pending");
            assertThat(approval.counts("sections").updated()).isEqualTo(2);

            Map<String, String> names = classNames(db);
            for (PlannedChange c : two) {
                assertThat(names.get(c.key())).isEqualTo(namesBefore.get(c.key()) + " (renamed)");
            }
            for (PlannedChange c : three) {
                assertThat(names.get(c.key())).as("not approved: unchanged").isEqualTo(namesBefore.get(c.key()));
            }
            Map<String, String> others = new TreeMap<>(names);
            Map<String, String> othersBefore = new TreeMap<>(namesBefore);
            five.forEach(id -> {
                others.remove(id);
                othersBefore.remove(id);
            });
            assertThat(others).isEqualTo(othersBefore);
            List<AppliedChange> outbox = engine.pendingChanges(1000);
            assertThat(outbox).extracting(AppliedChange::key).containsExactlyInAnyOrderElementsOf(two.stream().map(PlannedChange::key).toList());

            SyncReport next = engine.sync(SyncMode.FULL);
            assertThat(next.status()).isEqualTo(SyncStatus.HALTED);
            assertThat(engine.plannedChanges(next.runId())).as("the three not approved, with the same ids")
                    .containsExactlyInAnyOrderElementsOf(three);
            SyncReport rest = engine.approve(next.runId(), ChangeSelection.except(List.of(three.get(0).id())));
            assertThat(rest.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(classNames(db).get(three.get(1).key())).endsWith(" (renamed)");
            assertThat(classNames(db).get(three.get(0).key())).isEqualTo(namesBefore.get(three.get(0).key()));
            SyncReport last = engine.plan(SyncMode.FULL);
            assertThat(engine.plannedChanges(last.runId())).containsExactly(three.get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anApprovedChangeWhoseValuesChangedSinceHaltsAgainAndAppliesNothing(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Rename plugin = new Rename();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin)) {
            engine.approve(engine.sync(SyncMode.FULL).runId());
            Map<String, String> namesBefore = classNames(db);
            List<String> ids = new ArrayList<>(namesBefore.keySet()).subList(0, 3);
            ids.forEach(id -> plugin.suffixes.put(id, " (A)"));
            SyncReport halted = engine.sync(SyncMode.FULL);
            List<PlannedChange> planned = engine.plannedChanges(halted.runId());
            assertThat(planned).hasSize(3);

            plugin.suffixes.put(planned.get(0).key(), " (B)"); // Clever now sends another value than the one reviewed
            SyncReport approval = engine.approve(halted.runId(), ChangeSelection.only(List.of(planned.get(0).id(), planned.get(1).id())));
            assertThat(approval.status()).isEqualTo(SyncStatus.HALTED);
            assertThat(approval.guard()).contains("1 of the 2 approved changes of run " + halted.runId() + " are no longer planned",
                    planned.get(0).id());
            assertThat(classNames(db)).as("nothing applied").isEqualTo(namesBefore);

            assertThatThrownBy(() -> engine.approve(halted.runId(), ChangeSelection.only(List.of("c-000000000000"))))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("planned no change c-000000000000")
                    .extracting(e -> ((ConfigurationException) e).code()).isEqualTo("HR-CONFIG-094");
            assertThatThrownBy(() -> engine.approve(halted.runId(), ChangeSelection.except(planned.stream().map(PlannedChange::id).toList())))
                    .isInstanceOf(ConfigurationException.class).extracting(e -> ((ConfigurationException) e).code()).isEqualTo("HR-CONFIG-095");
        }
    }

    private SyncEngine engine(CleverSimulator sim, StoreConfig db, DistrictPlugin plugin) throws Exception {
        Path policies = dir.resolve("manual.properties");
        Files.writeString(policies, "sync.strategy = MANUAL\n");
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).policiesFile(policies)
                .discoverPlugins(false).plugin(plugin).build();
    }

    /** Active classes' SIS names by Clever id, in id order. */
    private static Map<String, String> classNames(StoreConfig db) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select clever_id, name from classroom where active")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    static Set<String> ids(List<PlannedChange> changes) {
        return Set.copyOf(changes.stream().map(PlannedChange::id).toList());
    }
}
