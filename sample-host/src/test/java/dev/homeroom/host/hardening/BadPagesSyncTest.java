package dev.homeroom.host.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictCounts;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Fault;
import dev.homeroom.testkit.Faults;
import dev.homeroom.testkit.SyntheticDistrict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8 items 1, 2, 6 and 7 end to end, on H2 and PostgreSQL, against the simulator on loopback: a district is synced
 * once cleanly, then again through a simulator serving the same district with one fault. Pages that end a collection
 * early, a poison record, a redirect to another host and a dripping server never cost the district its accounts.
 */
class BadPagesSyncTest {
    private static final int LIMIT = 50;
    private static final List<String> KINDS = List.of("users", "sections", "terms", "schools", "courses");
    private static final SyntheticDistrict DISTRICT = SyntheticDistrict.of(DistrictSpec.builder().students(300).build());

    /** Requests a collection of {@code n} records takes: its pages, plus the probe after a full last page. */
    private static long requests(long n) {
        return Math.max(1, (n + LIMIT - 1) / LIMIT) + (n > 0 && n % LIMIT == 0 ? 1 : 0);
    }

    /** The number of the request that reads users page {@code page} (1-based) in a full sync. */
    private static long usersPage(int page) {
        DistrictCounts c = DISTRICT.counts();
        return 1 + requests(c.schools()) + requests(c.terms()) + requests(c.courses()) + requests(c.sections()) + page;
    }

    private static SyncEngine engine(CleverSimulator sim, StoreConfig db) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).pageLimit(LIMIT)
                .discoverPlugins(false).callTimeout(Duration.ofSeconds(2)).build();
    }

    /** A store holding one clean sync of the district. */
    private static StoreConfig synced(Vendor vendor) {
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator clean = CleverSimulator.builder().district(DISTRICT).build().start(); SyncEngine engine = engine(clean, db)) {
            SyncReport first = engine.sync(SyncMode.FULL);
            assertThat(first.status()).as(first.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        }
        return db;
    }

    private static SyncReport syncThrough(Faults faults, StoreConfig db) {
        try (CleverSimulator sim = CleverSimulator.builder().district(DISTRICT).faults(faults).build().start(); SyncEngine engine = engine(sim, db)) {
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(sim.faultsInjected()).as("the planned faults were served").isPositive();
            return report;
        }
    }

    /** What a clean run now finds: nothing to change if the faulty run changed nothing. */
    private static void assertNothingWasLost(StoreConfig db) {
        try (CleverSimulator clean = CleverSimulator.builder().district(DISTRICT).build().start(); SyncEngine engine = engine(clean, db)) {
            SyncReport plan = engine.plan(SyncMode.FULL);
            for (String kind : KINDS) {
                assertThat(plan.counts(kind).created()).as("%s to create again (%s)", kind, plan.counts(kind)).isZero();
                assertThat(plan.counts(kind).reactivated()).as("%s to reactivate (%s)", kind, plan.counts(kind)).isZero();
                assertThat(plan.counts(kind).deactivated()).as("%s to deactivate (%s)", kind, plan.counts(kind)).isZero();
            }
        }
    }

    private static void assertNothingDeactivated(SyncReport report) {
        for (String kind : KINDS) {
            assertThat(report.counts(kind).deactivated()).as("%s deactivated", kind).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anEmptyPageThatLinksPastItsRecordsFailsTheRunRetriableAndDeactivatesNothing(Vendor vendor) {
        StoreConfig db = synced(vendor);
        // users page 3 comes back empty (still linking page 4), and so does its second read
        SyncReport run = syncThrough(Faults.builder().nth(usersPage(3), Fault.EMPTY_PAGE_WITH_NEXT)
                .nth(usersPage(3) + 1, Fault.EMPTY_PAGE_WITH_NEXT).build(), db);

        assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(run.failure()).contains("back empty while linking a next page").contains("nothing is applied");
        assertNothingDeactivated(run);
        assertNothingWasLost(db);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anEmptyPageThatComesBackWholeWhenReadAgainLosesNothing(Vendor vendor) {
        StoreConfig db = synced(vendor);
        SyncReport run = syncThrough(Faults.nth(usersPage(3), Fault.EMPTY_PAGE_WITH_NEXT), db);

        assertThat(run.status()).as(run.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        assertThat(run.counts("users").fetched()).isEqualTo(DISTRICT.counts().users());
        assertNothingDeactivated(run);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFullPageWithoutANextLinkIsProbedAndTheRestOfTheCollectionIsRead(Vendor vendor) {
        StoreConfig db = synced(vendor);
        SyncReport run = syncThrough(Faults.nth(usersPage(2), Fault.PAGE_WITHOUT_NEXT), db);

        assertThat(run.status()).as(run.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        for (String kind : KINDS) {
            assertThat(run.counts(kind).fetched()).as("%s fetched", kind).isEqualTo(DISTRICT.counts().of(kind));
        }
        assertNothingDeactivated(run);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aPoisonRecordIsOneHandledErrorAndTheDistrictSyncs(Vendor vendor) {
        StoreConfig db = synced(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(DISTRICT).faults(Faults.nth(usersPage(2), Fault.POISON_RECORD))
                .build().start(); SyncEngine engine = engine(sim, db)) {
            SyncReport run = engine.sync(SyncMode.FULL);

            assertThat(run.status()).as(run.failure()).isEqualTo(SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(run.counts("users").fetched()).isEqualTo(DISTRICT.counts().users() + 1);
            assertThat(run.counts("users").errors()).isEqualTo(1);
            assertNothingDeactivated(run);
            List<DataIssue> issues = engine.warnings(run.runId(), 1000);
            assertThat(issues).filteredOn(i -> Faults.POISON_RECORD_ID.equals(i.cleverId())).singleElement().satisfies(i -> {
                assertThat(i.code()).isEqualTo("INVALID_RECORD");
                assertThat(i.message()).contains("could not be read");
            });
        }
        assertNothingWasLost(db);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aRedirectToAnotherHostIsNotFollowedAndDeactivatesNothing(Vendor vendor) {
        StoreConfig db = synced(vendor);
        SyntheticDistrict impostor = SyntheticDistrict.of(DistrictSpec.builder().students(300).seed(99).districtName("Impostor").build());
        try (CleverSimulator other = CleverSimulator.builder().district(impostor).build().start()) {
            SyncReport run = syncThrough(Faults.builder().nth(usersPage(1), Fault.REDIRECT).redirectTo(other.baseUrl()).build(), db);

            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.failure()).contains("redirecting to " + other.baseUrl()).contains("never followed");
            assertThat(other.requestCount()).as("nothing was asked of the other host").isZero();
        }
        assertNothingWasLost(db);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aServerThatDripsOnePageIsCutByTheCallTimeoutAndThePageReadAgain(Vendor vendor) {
        StoreConfig db = synced(vendor);
        SyncReport run = syncThrough(Faults.builder().nth(usersPage(2), Fault.SLOW_DRIP).dripInterval(Duration.ofSeconds(20)).build(), db);

        assertThat(run.status()).as(run.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        assertThat(run.counts("users").fetched()).isEqualTo(DISTRICT.counts().users());
        assertNothingDeactivated(run);
    }
}
