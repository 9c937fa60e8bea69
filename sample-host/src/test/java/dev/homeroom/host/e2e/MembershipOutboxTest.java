package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.host.e2e.malformed.CleverStub;
import dev.homeroom.host.e2e.realdata.TinyDistrict;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 item 3: every change a host must apply reaches the outbox, class memberships included (created, deactivated,
 * reactivated), on a full run and on an incremental one.
 */
class MembershipOutboxTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void membershipsCreatedDeactivatedAndReactivatedReachTheHost(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        try (CleverStub clever = district.serve();
             SyncEngine engine = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN)
                     .store(TestDatabases.fresh(vendor)).discoverPlugins(false).build()) {
            SyncReport first = engine.sync(SyncMode.FULL);
            List<AppliedChange> created = memberships(drain(engine));
            assertThat(created).extracting(c -> c.membership().orElseThrow(), AppliedChange::change).containsExactlyInAnyOrder(
                    tuple(new AppliedChange.Membership("section-1", "teacher-1", "teacher"), "CREATED"),
                    tuple(new AppliedChange.Membership("section-1", "student-1", "student"), "CREATED"),
                    tuple(new AppliedChange.Membership("section-1", "student-2", "student"), "CREATED"),
                    tuple(new AppliedChange.Membership("section-1", "student-3", "student"), "CREATED"));
            assertThat(created).extracting(AppliedChange::runId).containsOnly(first.runId());

            district.students("section-1").remove("student-3");
            district.update(clever);
            engine.sync(SyncMode.FULL);
            assertThat(memberships(drain(engine))).extracting(AppliedChange::key, AppliedChange::change)
                    .containsExactly(tuple("section-1/student-3/student", "DEACTIVATED"));

            district.students("section-1").add("student-3");
            district.update(clever);
            engine.sync(SyncMode.FULL);
            assertThat(memberships(drain(engine))).extracting(AppliedChange::key, AppliedChange::change)
                    .containsExactly(tuple("section-1/student-3/student", "REACTIVATED"));

            engine.sync(SyncMode.FULL);
            assertThat(engine.pendingChanges(100)).as("an unchanged run changes nothing").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anIncrementalRunsMembershipChangesAreEachOneEntry(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                     .discoverPlugins(false).build()) {
            engine.sync(SyncMode.INCREMENTAL); // a first incremental run takes a full snapshot and keeps the cursor
            drain(engine);
            Map<String, Boolean> before = membershipRows(db);

            sim.advanceTo(district.next());
            SyncReport second = engine.sync(SyncMode.INCREMENTAL);
            Map<String, Boolean> after = membershipRows(db);
            Set<String> expected = new HashSet<>();
            after.forEach((key, active) -> {
                Boolean was = before.get(key);
                if (was == null) {
                    expected.add(key + " " + (active ? "CREATED" : "?"));
                } else if (!was.equals(active)) {
                    expected.add(key + " " + (active ? "REACTIVATED" : "DEACTIVATED"));
                }
            });
            assertThat(expected).as("the demo's next revision changes memberships").isNotEmpty();
            List<AppliedChange> changes = memberships(drain(engine));
            assertThat(changes).extracting(AppliedChange::runId).containsOnly(second.runId());
            assertThat(changes).extracting(c -> c.key() + " " + c.change()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static List<AppliedChange> memberships(List<AppliedChange> changes) {
        return changes.stream().filter(c -> c.entity().equals(AppliedChange.MEMBERSHIP)).toList();
    }

    private static List<AppliedChange> drain(SyncEngine engine) {
        List<AppliedChange> all = engine.pendingChanges(1_000_000);
        engine.acknowledge(all);
        return all;
    }

    /** Every membership row, CLASS/USER/ROLE to active, read straight from the table the host reads. */
    private static Map<String, Boolean> membershipRows(StoreConfig db) throws Exception {
        Map<String, Boolean> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select class_id, user_id, role, active from classroom_membership")) {
            while (r.next()) {
                rows.put(r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3), r.getBoolean(4));
            }
        }
        return rows;
    }
}
