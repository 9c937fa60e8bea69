package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * P24 {@code sync.full_run_decides = CHANGED}: a full run under the rules every record stands decided under decides
 * only what its fetch found changed and what that touched, and must end exactly where a run that decides every record
 * ends: the same outcome, active rows and classes for every record, and the same report.
 */
class FullRunDecidesWhatChangedTest {
    private static final List<RecordKind> KINDS = List.of(RecordKind.USER, RecordKind.SECTION, RecordKind.TERM, RecordKind.SCHOOL,
            RecordKind.COURSE);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFullRunOverChangedDataDecidesWhatChangedAndEndsWhereDecidingAllEnds(Vendor vendor) throws IOException {
        SyntheticDistrict district = SyntheticDistrict.demo();
        SyntheticDistrict next = district.next();
        StoreConfig changedDb = TestDatabases.fresh(vendor);
        StoreConfig allDb = TestDatabases.fresh(vendor);
        Path changedPolicies = Files.writeString(dir.resolve("changed.properties"), "sync.full_run_decides = CHANGED\n");
        Path allPolicies = Files.writeString(dir.resolve("all.properties"), "sync.full_run_decides = ALL\n");
        AtomicLong decidedChanged = new AtomicLong();
        AtomicLong decidedAll = new AtomicLong();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine changed = engine(sim, changedDb, changedPolicies, decidedChanged);
             SyncEngine all = engine(sim, allDb, allPolicies, decidedAll)) {
            SyncReport first = changed.sync(SyncMode.FULL);
            all.sync(SyncMode.FULL);
            long records = decidedChanged.get();
            assertThat(records).as("the first run decides every record").isEqualTo(decidedAll.get()).isPositive();

            sim.advanceTo(next);
            decidedChanged.set(0);
            decidedAll.set(0);
            SyncReport changedRun = changed.sync(SyncMode.FULL);
            SyncReport allRun = all.sync(SyncMode.FULL);
            assertThat(changedRun.status()).as(changedRun.failure() + " " + changedRun.guard())
                    .isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(decidedAll.get()).as("ALL decides every record again").isGreaterThanOrEqualTo(records);
            assertThat(decidedChanged.get()).as("CHANGED decides what changed and what it touched, not every record")
                    .isPositive().isLessThan(decidedAll.get());
            assertSameReport(changedRun, allRun);

            // nothing changed since: nothing to decide, and the report still counts every record as it stands
            decidedChanged.set(0);
            decidedAll.set(0);
            SyncReport identical = changed.sync(SyncMode.FULL);
            SyncReport identicalAll = all.sync(SyncMode.FULL);
            assertThat(decidedChanged.get()).as("an identical full run decides nothing").isZero();
            assertSameReport(identical, identicalAll);
            assertThat(identical.counts("users").unchanged()).isEqualTo(identicalAll.counts("users").unchanged()).isPositive();

            // new policies: a new rules hash, so the next full run decides every record again
            Files.writeString(changedPolicies, "sync.full_run_decides = CHANGED\nclassless.students = PROVISION_LIMITED\n");
            decidedChanged.set(0);
            SyncReport edited = changed.sync(SyncMode.FULL);
            assertThat(decidedChanged.get()).as("a policy change makes the next full run decide every record").isEqualTo(decidedAll.get());
            assertThat(edited.rulesHash()).isNotEqualTo(first.rulesHash());
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void everyRecordEndsAsDecidingAllWouldLeaveIt(Vendor vendor) throws IOException {
        SyntheticDistrict district = SyntheticDistrict.demo();
        SyntheticDistrict next = district.next();
        StoreConfig changedDb = TestDatabases.fresh(vendor);
        StoreConfig allDb = TestDatabases.fresh(vendor);
        Path changedPolicies = Files.writeString(dir.resolve("changed.properties"), "sync.full_run_decides = CHANGED\n");
        Path allPolicies = Files.writeString(dir.resolve("all.properties"), "sync.full_run_decides = ALL\n");
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine changed = engine(sim, changedDb, changedPolicies, new AtomicLong());
             SyncEngine all = engine(sim, allDb, allPolicies, new AtomicLong())) {
            changed.sync(SyncMode.FULL);
            all.sync(SyncMode.FULL);
            sim.advanceTo(next);
            changed.sync(SyncMode.FULL);
            all.sync(SyncMode.FULL);
        }
        try (Store a = Store.open(changedDb); Store b = Store.open(allDb)) {
            String d = district.districtId();
            for (RecordKind kind : KINDS) {
                assertThat(a.<Integer>read(s -> s.provisioning().activeCount(d, kind))).as(kind + " active")
                        .isEqualTo(b.<Integer>read(s -> s.provisioning().activeCount(d, kind)));
                for (String id : b.<List<String>>read(s -> s.shadow().ids(d, kind))) {
                    assertThat(state(a, d, kind, id)).as("decision of " + kind.label() + " " + id).isEqualTo(state(b, d, kind, id));
                    assertThat(active(a, d, kind, id)).as("active rows of " + kind.label() + " " + id).usingRecursiveComparison()
                            .isEqualTo(active(b, d, kind, id));
                    if (kind == RecordKind.USER) {
                        assertThat(a.<List<String>>read(s -> s.provisioning().memberships(d, id))).as("classes of " + id)
                                .isEqualTo(b.<List<String>>read(s -> s.provisioning().memberships(d, id)));
                    }
                }
            }
        }
    }

    private static void assertSameReport(SyncReport changed, SyncReport all) {
        for (String kind : List.of("users", "sections", "terms", "schools", "courses")) {
            assertThat(changed.counts(kind)).as(kind + " counts").isEqualTo(all.counts(kind));
        }
        assertThat(changed.skippedByRule()).as("skipped by rule").isEqualTo(all.skippedByRule());
        assertThat(changed.deactivatedByRule()).as("deactivated by rule").isEqualTo(all.deactivatedByRule());
        assertThat(changed.errors()).as("handled errors").isEqualTo(all.errors());
    }

    /** A record's stored decision: outcome, effective role and the hash of everything decided (warnings included). */
    private static String state(Store store, String d, RecordKind kind, String id) {
        return store.read(s -> s.decisions().decisionState(d, kind, id))
                .map(st -> st.outcome() + " " + st.effectiveRole() + " " + st.decisionHash()).orElse(null);
    }

    private static List<dev.homeroom.store.Provisioned> active(Store store, String d, RecordKind kind, String id) {
        return store.<List<dev.homeroom.store.Provisioned>>read(s -> s.provisioning().provisioned(d, kind, id)).stream()
                .filter(dev.homeroom.store.Provisioned::active).toList();
    }

    private static SyncEngine engine(CleverSimulator sim, StoreConfig db, Path policies, AtomicLong decided) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).policiesFile(policies)
                .discoverPlugins(false)
                .listener(new SyncListener() {
                    @Override
                    public void recordsDecided(RecordKind kind, int n) {
                        decided.addAndGet(n);
                    }
                })
                .build();
    }
}
