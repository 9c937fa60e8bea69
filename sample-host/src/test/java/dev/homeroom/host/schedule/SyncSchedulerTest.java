package dev.homeroom.host.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.DistrictSchedule;
import dev.homeroom.engine.ScheduledDistrict;
import dev.homeroom.engine.ScheduledRun;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncScheduler;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One scheduler, real db-scheduler on a real store, a clock the test moves: three districts get their daily full sync
 * and an incremental every hour; a fourth whose token Clever refuses backs off (10, 20, 40, 80, 80 … minutes) while the
 * others keep their slots; syncNow runs a district at once; a scheduler started after hours of nobody running catches
 * each district up once, and a missed daily full sync as a full sync.
 */
class SyncSchedulerTest {
    private static final Instant DAY = Instant.parse("2026-03-02T02:00:00Z");

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void districtsRunOnTheirSlotsAFailingOneBacksOffAndMissedSlotsAreCaughtUpOnce(Vendor vendor) {
        StoreConfig db = TestDatabases.fresh(vendor);
        List<CleverSimulator> sims = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                sims.add(CleverSimulator.builder().threads(2).token("token-" + i)
                        .district(SyntheticDistrict.of(DistrictSpec.builder().students(40).schools(1).seed(100 + i)
                                .districtName("Scheduled " + i).emailDomain("s" + i + ".example.org").build()))
                        .build().start());
            }
            List<ScheduledDistrict> districts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                CleverSimulator sim = sims.get(i);
                String token = i == 3 ? "a-token-clever-refuses" : sim.token();
                districts.add(new ScheduledDistrict("d" + i, DistrictSchedule.daily(LocalTime.of(2, 0), 60),
                        e -> e.cleverUrl(sim.baseUrl().toString()).token(token).discoverPlugins(false).maxRetries(0)));
            }
            List<String> healthy = List.of("d0", "d1", "d2");
            List<String> all = List.of("d0", "d1", "d2", "d3");
            SimClock clock = new SimClock(DAY);
            RunLog log = new RunLog();

            // 02:00 to 14:00 in ten-minute steps
            try (SyncScheduler scheduler = scheduler(db, districts, clock, log).start()) {
                RunLog.awaitQuiet(scheduler, all, clock.instant());
                while (clock.instant().isBefore(DAY.plus(Duration.ofHours(12)))) {
                    RunLog.awaitQuiet(scheduler, all, clock.advance(Duration.ofMinutes(10)));
                }
                for (String key : healthy) {
                    List<ScheduledRun> runs = log.of(key);
                    assertThat(runs).allSatisfy(r -> assertThat(r.completed()).as(r.oneLine()).isTrue());
                    assertThat(runs).extracting(ScheduledRun::mode).as(key)
                            .containsExactlyElementsOf(Stream.concat(Stream.of(SyncMode.FULL), Stream.generate(() -> SyncMode.INCREMENTAL).limit(12)).toList());
                    assertThat(runs).extracting(ScheduledRun::startedAt).as(key)
                            .containsExactlyElementsOf(Stream.iterate(DAY, t -> t.plus(Duration.ofHours(1))).limit(13).toList());
                    assertThat(runs).extracting(ScheduledRun::trigger).containsOnly("schedule");
                }
                List<ScheduledRun> failing = log.of("d3");
                assertThat(failing).allSatisfy(r -> assertThat(r.report().status()).isEqualTo(SyncStatus.FAILED));
                assertThat(failing).extracting(ScheduledRun::consecutiveFailures)
                        .containsExactlyElementsOf(Stream.iterate(1, n -> n + 1).limit(failing.size()).toList());
                List<Long> gaps = new ArrayList<>();
                for (int i = 1; i < failing.size(); i++) {
                    gaps.add(Duration.between(failing.get(i - 1).startedAt(), failing.get(i).startedAt()).toMinutes());
                }
                // 02:00, 02:10, 02:30, 03:10, 04:30, 05:50 … 13:50: doubling up to the cap
                assertThat(gaps).containsExactly(10L, 20L, 40L, 80L, 80L, 80L, 80L, 80L, 80L, 80L, 80L);
                assertThat(failing.get(0).mode()).isEqualTo(SyncMode.FULL);
                assertThat(failing).extracting(ScheduledRun::mode).as("a full sync that never succeeded stays due").containsOnly(SyncMode.FULL);

                // on demand at 14:05: a full sync at once, then back on the hourly slots
                clock.set(DAY.plus(Duration.ofMinutes(12 * 60 + 5)));
                assertThat(scheduler.syncNow("d1")).isTrue();
                RunLog.awaitQuiet(scheduler, all, clock.instant());
                ScheduledRun onDemand = last(log.of("d1"));
                assertThat(onDemand.trigger()).isEqualTo("on-demand");
                assertThat(onDemand.mode()).isEqualTo(SyncMode.FULL);
                assertThat(onDemand.startedAt()).isEqualTo(clock.instant());
                assertThat(onDemand.completed()).as(onDemand.oneLine()).isTrue();
                assertThat(scheduler.nextRun("d1")).contains(DAY.plus(Duration.ofHours(13)));
                RunLog.awaitQuiet(scheduler, all, clock.advance(Duration.ofMinutes(55))); // 15:00
                assertThat(last(log.of("d1")).mode()).as("today's full sync is done").isEqualTo(SyncMode.INCREMENTAL);
            }
            int before = log.runs.size();

            // nobody runs from 15:00 to 21:30: six hourly slots pass; a new scheduler runs each district once
            clock.set(DAY.plus(Duration.ofMinutes(19 * 60 + 30)));
            try (SyncScheduler scheduler = scheduler(db, districts, clock, log).start()) {
                RunLog.awaitQuiet(scheduler, all, clock.instant());
                for (String key : healthy) {
                    List<ScheduledRun> caughtUp = log.of(key).stream().filter(r -> !r.startedAt().isBefore(clock.instant())).toList();
                    assertThat(caughtUp).as(key + " caught up once").hasSize(1);
                    assertThat(caughtUp.get(0).trigger()).isEqualTo("catch-up");
                    assertThat(caughtUp.get(0).mode()).isEqualTo(SyncMode.INCREMENTAL);
                    assertThat(scheduler.nextRun(key)).contains(DAY.plus(Duration.ofHours(20)));
                }
            }
            assertThat(log.runs.size() - before).as("one run per healthy district, the failing one at most once").isBetween(3, 4);

            // nobody runs across the next day's 02:00 full sync: caught up once, as a full sync
            clock.set(DAY.plus(Duration.ofMinutes(25 * 60 + 30)));
            try (SyncScheduler scheduler = scheduler(db, districts, clock, log).start()) {
                RunLog.awaitQuiet(scheduler, all, clock.instant());
                for (String key : healthy) {
                    List<ScheduledRun> caughtUp = log.of(key).stream().filter(r -> !r.startedAt().isBefore(clock.instant())).toList();
                    assertThat(caughtUp).as(key).hasSize(1);
                    assertThat(caughtUp.get(0).mode()).isEqualTo(SyncMode.FULL);
                    assertThat(caughtUp.get(0).completed()).as(caughtUp.get(0).oneLine()).isTrue();
                }
            }
            assertThat(log.overlaps).isEmpty();
            assertThat(log.runs.stream().filter(r -> r.busy()).map(ScheduledRun::oneLine).collect(Collectors.toList())).isEmpty();
        } finally {
            sims.forEach(CleverSimulator::close);
        }
    }

    static SyncScheduler scheduler(StoreConfig db, List<ScheduledDistrict> districts, SimClock clock, RunLog log) {
        return SyncScheduler.builder().store(db).districts(districts).clock(clock).pollingInterval(Duration.ofMillis(100))
                .failureBackoff(Duration.ofMinutes(10), Duration.ofMinutes(80)).threads(3).node("node-" + System.nanoTime() % 100_000)
                .listener(log).build();
    }

    private static ScheduledRun last(List<ScheduledRun> runs) {
        return runs.get(runs.size() - 1);
    }
}
