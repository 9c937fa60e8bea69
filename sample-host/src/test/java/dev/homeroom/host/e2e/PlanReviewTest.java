package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Approval;
import dev.homeroom.engine.ChangeSelection;
import dev.homeroom.engine.PlannedChange;
import dev.homeroom.engine.PlannedChangeCount;
import dev.homeroom.engine.PlannedChangePage;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12: a halted MANUAL plan is reviewed page by page with the rule and reason behind each change, and every
 * decision on it (whole, in part, rejected) is recorded with who took it, when and the run it led to.
 */
class PlanReviewTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aPlanIsPagedAndCountedWithRuleAndReasonAndWhoApprovedWhatIsRecorded(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        ManualChangeByChangeTest.Rename plugin = new ManualChangeByChangeTest.Rename();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin)) {
            SyncReport first = engine.sync(SyncMode.FULL);
            List<PlannedChangeCount> firstCounts = engine.plannedChangeCounts(first.runId());
            assertThat(firstCounts).extracting(PlannedChangeCount::entity).contains("user", "section", "membership");
            assertThat(firstCounts.stream().mapToLong(PlannedChangeCount::count).sum()).isEqualTo(engine.plannedChanges(first.runId()).size());
            PlannedChangePage users = engine.plannedChanges(first.runId(), "user", null, null, 500);
            assertThat(users.changes()).isNotEmpty().allSatisfy(c -> {
                assertThat(c.entity()).isEqualTo("user");
                assertThat(c.rule()).as("the rule behind %s", c.key()).isNotBlank();
            });
            assertThat(users.changes()).extracting(PlannedChange::rule).as("the rules the plan names").hasSizeGreaterThan(1)
                    .contains("P4-STAFF-SCHOOL-GRANTS");
            assertThat(engine.plannedChanges(first.runId(), "membership", null, null, 5).changes()).allSatisfy(c -> assertThat(c.rule()).isNull());

            // pages of 7 in (entity, key, id) order cover every change once
            List<PlannedChange> all = new ArrayList<>();
            String after = null;
            do {
                PlannedChangePage page = engine.plannedChanges(first.runId(), null, null, after, 7);
                assertThat(page.changes()).hasSizeLessThanOrEqualTo(7);
                all.addAll(page.changes());
                after = page.next();
            } while (after != null);
            assertThat(all).extracting(PlannedChange::id).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(engine.plannedChanges(first.runId()).stream().map(PlannedChange::id).toList());
            String key = users.changes().get(0).key();
            assertThat(engine.plannedChanges(first.runId(), null, key.substring(0, key.length() - 3), null, 500).changes())
                    .isNotEmpty().allSatisfy(c -> assertThat(c.key()).startsWith(key.substring(0, key.length() - 3)));

            SyncReport applied = engine.approve(first.runId(), "ada");
            assertThat(applied.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(engine.approvals(first.runId())).singleElement().satisfies(a -> {
                assertThat(a.approver()).isEqualTo("ada");
                assertThat(a.decision()).isEqualTo(Approval.WHOLE);
                assertThat(a.changeIds()).isEmpty();
                assertThat(a.resultRunId()).isEqualTo(applied.runId());
                assertThat(a.resultStatus()).isEqualTo(applied.status().name());
                assertThat(a.decidedAt()).isNotNull();
            });
            assertThat(engine.approvals(applied.runId())).as("found by the run it led to").hasSize(1);
            for (PlannedChange c : users.changes().subList(0, 12)) {
                var history = engine.explain(c.key().substring(0, c.key().indexOf('/'))).orElseThrow().history();
                var applying = history.stream().filter(h -> h.runId().equals(applied.runId())).findFirst().orElseThrow();
                assertThat(c.rule()).as("the plan's rule for %s is the one the applied run decided by", c.key()).isEqualTo(applying.rule());
                assertThat(c.reason()).isEqualTo(applying.reason());
            }

            List<String> sections = engine.plannedChanges(first.runId(), "section", null, null, 5).changes().stream().map(PlannedChange::key).toList();
            sections.forEach(id -> plugin.suffixes.put(id, " (renamed)"));
            SyncReport halted = engine.sync(SyncMode.FULL);
            List<PlannedChange> five = engine.plannedChanges(halted.runId());
            assertThat(five).hasSize(5).allSatisfy(c -> assertThat(c.rule()).isNotBlank());
            assertThat(engine.plannedChangeCounts(halted.runId())).containsExactly(new PlannedChangeCount("section", "UPDATED", 5));

            SyncReport rejected = engine.sync(SyncMode.FULL);
            assertThat(engine.reject(rejected.runId(), "bob").status()).isEqualTo("REJECTED");
            assertThat(engine.approvals(rejected.runId())).singleElement().satisfies(a -> {
                assertThat(a.approver()).isEqualTo("bob");
                assertThat(a.decision()).isEqualTo(Approval.REJECTED);
                assertThat(a.resultRunId()).isNull();
            });

            List<String> two = List.of(five.get(0).id(), five.get(3).id());
            SyncReport part = engine.approve(halted.runId(), ChangeSelection.only(two), "carol");
            assertThat(part.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(engine.approvals(halted.runId())).singleElement().satisfies(a -> {
                assertThat(a.approver()).isEqualTo("carol");
                assertThat(a.decision()).isEqualTo(Approval.SELECTED);
                assertThat(a.changeIds()).containsExactlyElementsOf(two.stream().sorted().toList());
                assertThat(a.resultRunId()).isEqualTo(part.runId());
            });
            assertThat(engine.approvals(first.districtId(), List.of(first.runId(), rejected.runId(), halted.runId())))
                    .extracting(Approval::approver).containsExactly("ada", "bob", "carol");
            SyncReport next = engine.sync(SyncMode.FULL);
            assertThat(engine.plannedChanges(next.runId())).extracting(PlannedChange::id)
                    .containsExactlyInAnyOrder(five.get(1).id(), five.get(2).id(), five.get(4).id());
        }
    }

    private SyncEngine engine(CleverSimulator sim, StoreConfig db, dev.homeroom.spi.DistrictPlugin plugin) throws Exception {
        Path policies = dir.resolve("manual.properties");
        Files.writeString(policies, "sync.strategy = MANUAL\n");
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).policiesFile(policies)
                .discoverPlugins(false).plugin(plugin).build();
    }
}
