package dev.homeroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.spi.RecordKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The outbox a host drains: oldest run first whatever the order of the districts' and runs' ids, a run's changes in the
 * order it made them, and an acknowledged change gone for good (the outbox holds only what is still pending).
 */
class OutboxStoreTest {
    private static final LocalDateTime T = LocalDateTime.of(2026, 12, 2, 8, 0);

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void changesComeOldestRunFirstAndAcknowledgedOnesAreRemoved(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            // started in this order; neither the district ids nor the run ids sort that way
            entries(store, "district-b", "run-9", T, 3);
            entries(store, "district-a", "run-1", T.plusHours(1), 2);
            entries(store, "district-a", "run-5", T.plusHours(2), 2);
            entries(store, "district-b", "run-0", T.plusHours(3), 1);

            List<OutboxRow> all = store.read(s -> s.outbox().pending(100));
            assertThat(all).extracting(r -> r.runId() + "#" + r.seq())
                    .containsExactly("run-9#1", "run-9#2", "run-9#3", "run-1#1", "run-1#2", "run-5#1", "run-5#2", "run-0#1");
            assertThat(all).extracting(OutboxRow::key).startsWith("run-9-u1/student", "run-9-u2/student");
            assertThat(store.<List<OutboxRow>>read(s -> s.outbox().pending(4))).as("a page spans runs").isEqualTo(all.subList(0, 4));

            List<OutboxRow> consumed = List.of(all.get(1), all.get(4), all.get(7));
            assertThat(store.<Integer>transaction(s -> s.outbox().acknowledge(consumed))).isEqualTo(3);
            assertThat(store.<Integer>transaction(s -> s.outbox().acknowledge(consumed))).as("acknowledged twice").isZero();
            List<OutboxRow> rest = new ArrayList<>(all);
            rest.removeAll(consumed);
            assertThat(store.<List<OutboxRow>>read(s -> s.outbox().pending(100))).isEqualTo(rest);
            assertThat(store.<Integer>read(s -> s.outbox().count("district-a", "run-1"))).as("the store keeps no acknowledged change").isEqualTo(1);
            assertThat(store.<Integer>read(s -> s.outbox().count("district-b", "run-0"))).isZero();

            store.<Integer>transaction(s -> s.outbox().acknowledge(rest));
            assertThat(store.<List<OutboxRow>>read(s -> s.outbox().pending(100))).isEmpty();
        }
    }

    /**
     * A host that acknowledges part of each page, out of order, is offered every entry it did not acknowledge, the first of
     * the page before included; and a run committed after pages were read is offered too (the store remembers where each
     * run's entries start, which must never skip one).
     */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void everyUnacknowledgedEntryIsOfferedAgainWhateverWasAcknowledgedAroundIt(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            entries(store, "district-a", "run-1", T, 60);
            List<OutboxRow> acknowledged = new ArrayList<>();
            java.util.Set<String> keptBack = new java.util.LinkedHashSet<>();
            for (int round = 0; round < 12; round++) {
                List<OutboxRow> page = store.read(s -> s.outbox().pending(10));
                List<OutboxRow> ack = new ArrayList<>();
                for (int i = 0; i < page.size(); i++) {
                    OutboxRow r = page.get(i);
                    // the first of every page, and every seventh entry, stay pending until round 8
                    if (round >= 8 || (i != 0 && r.seq() % 7 != 0)) {
                        ack.add(r);
                    } else {
                        keptBack.add(r.key());
                    }
                }
                store.<Integer>transaction(s -> s.outbox().acknowledge(ack));
                acknowledged.addAll(ack);
                if (round == 3) {
                    entries(store, "district-a", "run-2", T.plusHours(1), 5); // committed while the host drains run-1
                }
            }
            assertThat(store.<List<OutboxRow>>read(s -> s.outbox().pending(100))).isEmpty();
            assertThat(acknowledged).extracting(OutboxRow::key).doesNotHaveDuplicates().hasSize(65)
                    .containsAll(keptBack).contains("run-2-u1/student", "run-2-u5/student");
        }
    }

    /**
     * A host drains one district's run while runs under lower keys commit (a run of the same district with a lower id,
     * then another district's): their entries are offered too. On PostgreSQL the search for runs with entries starts
     * at the lowest run drained from; it fails when it starts there without looking below.
     */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aRunCommittedUnderALowerKeyWhileAnotherIsDrainedIsOffered(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            entries(store, "district-b", "run-1", T, 10);
            List<OutboxRow> first = store.read(s -> s.outbox().pending(4));
            store.<Integer>transaction(s -> s.outbox().acknowledge(first));
            entries(store, "district-b", "run-0", T.plusHours(1), 2); // the same district, a lower run id
            assertThat(store.<List<OutboxRow>>read(s -> s.outbox().pending(100))).extracting(OutboxRow::key)
                    .containsExactly("run-1-u5/student", "run-1-u6/student", "run-1-u7/student", "run-1-u8/student",
                            "run-1-u9/student", "run-1-u10/student", "run-0-u1/student", "run-0-u2/student");
            entries(store, "district-a", "run-2", T.plusHours(2), 3); // another district, under a lower key
            assertThat(store.<List<OutboxRow>>read(s -> s.outbox().pending(100))).extracting(OutboxRow::key)
                    .containsExactly("run-1-u5/student", "run-1-u6/student", "run-1-u7/student", "run-1-u8/student",
                            "run-1-u9/student", "run-1-u10/student", "run-0-u1/student", "run-0-u2/student",
                            "run-2-u1/student", "run-2-u2/student", "run-2-u3/student");
        }
    }

    /** A store from before V019 kept acknowledged changes with their time: opening it drops them and keeps the rest. */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aStoreThatKeptAcknowledgedChangesOpensWithOnlyThePendingOnes(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.freshAtVersion(vendor, "15"); // the later ones run when the store opens
        try (Connection c = DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.execute("insert into sync_run (run_id, district_id, mode, status, started_at) values ('r1', 'd1', 'full', 'SUCCEEDED', "
                    + "timestamp '2026-12-01 08:00:00')");
            for (int seq = 1; seq <= 4; seq++) {
                st.execute("insert into outbox (district_id, run_id, seq, entity, clever_id, change, created_at, consumed_at) values "
                        + "('d1', 'r1', " + seq + ", 'user', 'u" + seq + "/student', 'CREATED', timestamp '2026-12-01 08:00:01', "
                        + (seq % 2 == 1 ? "timestamp '2026-12-01 09:00:00'" : "null") + ")");
            }
        }
        try (Store store = Store.open(db)) {
            assertThat(store.<List<OutboxRow>>read(s -> s.outbox().pending(100))).extracting(OutboxRow::key)
                    .containsExactly("u2/student", "u4/student");
            assertThat(store.<Integer>read(s -> s.outbox().count("d1", "r1"))).isEqualTo(2);
        }
    }

    private static void entries(Store store, String district, String run, LocalDateTime started, int count) {
        store.transaction(s -> {
            s.runs().ensureDistrict(district, "District " + district);
            s.runs().insertRun(run, district, "full", "RUNNING", started);
            BulkWrites writes = new BulkWrites(s.ctx(), s.vendor());
            for (int i = 1; i <= count; i++) {
                s.outbox().add(writes, district, run, RecordKind.USER, run + "-u" + i + "/student", ProvisionedChange.CREATED);
            }
            writes.execute();
            return null;
        });
    }
}
