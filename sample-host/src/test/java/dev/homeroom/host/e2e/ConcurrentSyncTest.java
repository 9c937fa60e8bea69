package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several host instances share one database: a district is synced by one run at a time. A second run of the same
 * district while the first holds it ends at once, FAILED and retriable, having changed nothing; the first completes.
 */
class ConcurrentSyncTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSecondInstanceDoesNotSyncADistrictThatIsBeingSynced(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        CountDownLatch firstIsInside = new CountDownLatch(1);
        CountDownLatch secondIsDone = new CountDownLatch(1);
        SyncListener holdsTheDistrict = new SyncListener() {
            @Override
            public void pageFetched(RecordKind kind, int records, int problems) {
                if (firstIsInside.getCount() > 0) {
                    firstIsInside.countDown();
                    try {
                        secondIsDone.await(30, TimeUnit.SECONDS); // keep the first run's transaction open meanwhile
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine first = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                     .discoverPlugins(false).listener(holdsTheDistrict).build();
             SyncEngine second = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                     .discoverPlugins(false).build()) {
            // the district's row exists before the race, as it does after any first sync
            assertThat(second.plan(SyncMode.FULL).status()).isEqualTo(SyncStatus.PLANNED);

            CompletableFuture<SyncReport> running = CompletableFuture.supplyAsync(() -> first.sync(SyncMode.FULL));
            assertThat(firstIsInside.await(30, TimeUnit.SECONDS)).as("the first run started fetching").isTrue();
            long t0 = System.nanoTime();
            SyncReport refused = second.sync(SyncMode.FULL);
            secondIsDone.countDown();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("refused at once, not after a lock wait").isLessThan(Duration.ofSeconds(20));
            assertThat(refused.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(refused.failure()).contains("being synced by another run");
            assertThat(refused.counts("users").created()).isZero();

            SyncReport done = running.get(60, TimeUnit.SECONDS);
            assertThat(done.status()).as(done.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(done.counts("users").fetched()).isEqualTo(district.counts().users());
            assertThat(second.sync(SyncMode.FULL).counts("users").created()).as("the first run's work is there").isZero();
        }
    }
}
