package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.User;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10 item 1: a run is reverted as a run of its own, and the provisioned tables are as they were before it, row by
 * row; a record a later run changed again is not restored, and the revert says so.
 */
class RevertRunTest {
    /** The six tables a host reads, each with its key columns. */
    private static final Map<String, String> TABLES = Map.of(
            "account", "clever_id, account_role", "classroom", "clever_id", "classroom_membership", "class_id, user_id, role",
            "term", "clever_id", "school", "clever_id", "course", "clever_id");

    /** A plugin that hides some users from the engine, as if Clever no longer shared them. */
    static final class Hide extends dev.homeroom.host.testing.TransformingPlugin {
        final Set<String> hidden = new CopyOnWriteArraySet<>();

        Hide() {
            super("hide");
        }

        @Override
        public User transformUser(User user) {
            return hidden.contains(user.id()) ? null : user;
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aRevertedRunLeavesTheProvisionedTablesAsTheyWereBeforeIt(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Hide plugin = new Hide();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin)) {
            assertThat(engine.sync(SyncMode.FULL).status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            List<String> students = studentsWithClasses(db, 3);
            Map<String, Map<String, Map<String, Object>>> before = snapshot(db);

            plugin.hidden.addAll(students);
            SyncReport gone = engine.sync(SyncMode.FULL);
            assertThat(gone.counts("users").deactivated()).as(gone.toString()).isEqualTo(3);
            Map<String, Map<String, Map<String, Object>>> after = snapshot(db);
            assertThat(after).as("the run changed the tables").isNotEqualTo(before);
            engine.acknowledge(engine.pendingChanges(100_000));

            SyncReport revert = engine.revert(gone.runId());
            assertThat(revert.status()).as(String.valueOf(revert.guard())).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(revert.mode()).isEqualTo(SyncMode.REVERT);
            assertThat(revert.counts("users").reactivated()).isEqualTo(3);
            assertThat(snapshot(db)).as("row by row, as before the reverted run").isEqualTo(before);

            List<AppliedChange> outbox = engine.pendingChanges(100_000);
            assertThat(outbox).as("the revert is in the outbox").isNotEmpty()
                    .allMatch(c -> c.runId().equals(revert.runId()));
            assertThat(outbox).filteredOn(c -> c.entity().equals("user") && c.change().equals("REACTIVATED"))
                    .extracting(c -> c.key().substring(0, c.key().indexOf('/'))).containsExactlyInAnyOrderElementsOf(students);
            assertThat(engine.explain(students.get(0)).orElseThrow().decisions())
                    .anyMatch(l -> l.rule().equals("engine:revert") && l.reason().contains(gone.runId()));
            assertThat(engine.runs(10)).anyMatch(r -> r.runId().equals(revert.runId()) && r.mode().equals("revert"));

            // Clever still does not share them: the next sync decides them again, and no access stays that Clever took away
            SyncReport again = engine.sync(SyncMode.FULL);
            assertThat(again.counts("users").deactivated()).isEqualTo(3);
            assertThat(snapshot(db)).isEqualTo(after);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aRecordALaterRunChangedIsNotRestoredAndTheRevertSaysSo(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Hide plugin = new Hide();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin)) {
            engine.sync(SyncMode.FULL);
            List<String> students = studentsWithClasses(db, 3);
            plugin.hidden.addAll(students);
            SyncReport gone = engine.sync(SyncMode.FULL);
            assertThat(gone.counts("users").deactivated()).isEqualTo(3);
            // a later run brings the first student back: the revert must not touch that account again
            plugin.hidden.remove(students.get(0));
            SyncReport back = engine.sync(SyncMode.FULL);
            assertThat(back.counts("users").reactivated()).isEqualTo(1);

            SyncReport revert = engine.revert(gone.runId());
            assertThat(revert.status()).isEqualTo(SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(revert.counts("users").reactivated()).as("the two the later run left alone").isEqualTo(2);
            List<DataIssue> notRestored = engine.warnings(revert.runId(), 1000).stream()
                    .filter(w -> w.code().equals("NOT_RESTORED")).toList();
            assertThat(notRestored).filteredOn(w -> w.kind().equals("user")).singleElement()
                    .satisfies(w -> {
                        assertThat(w.cleverId()).isEqualTo(students.get(0));
                        assertThat(w.message()).contains("changed again by run " + back.runId());
                    });
            assertThat(activeAccounts(db, students)).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void revertingAFirstRunHaltsUnderTheSafetyGuardUntilApproved(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, new Hide())) {
            SyncReport first = engine.sync(SyncMode.FULL);
            Map<String, Map<String, Map<String, Object>>> provisioned = snapshot(db);

            SyncReport revert = engine.revert(first.runId());
            assertThat(revert.status()).as("it would deactivate every account").isEqualTo(SyncStatus.HALTED);
            assertThat(revert.guard()).startsWith("reverting would deactivate");
            assertThat(snapshot(db)).as("nothing applied").isEqualTo(provisioned);

            SyncReport approved = engine.approve(revert.runId());
            assertThat(approved.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(approved.mode()).isEqualTo(SyncMode.REVERT);
            assertThat(activeRows(db, "account")).isZero();
            assertThat(activeRows(db, "classroom_membership")).isZero();
            assertThat(engine.runs(10)).anyMatch(r -> r.runId().equals(revert.runId()) && r.status().equals("APPROVED"));
        }
    }

    private static int activeRows(StoreConfig db, String table) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table + " where active")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static SyncEngine engine(CleverSimulator sim, StoreConfig db, DistrictPlugin plugin) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).discoverPlugins(false)
                .plugin(plugin).build();
    }

    private static Connection connect(StoreConfig db) throws SQLException {
        return DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password());
    }

    private static List<String> studentsWithClasses(StoreConfig db, int n) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select distinct a.clever_id from account a join classroom_membership m"
                     + " on m.district_id = a.district_id and m.user_id = a.clever_id and m.active"
                     + " where a.account_role = 'student' and a.active order by a.clever_id")) {
            while (rs.next() && ids.size() < n) {
                ids.add(rs.getString(1));
            }
        }
        assertThat(ids).hasSize(n);
        return ids;
    }

    private static int activeAccounts(StoreConfig db, List<String> ids) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from account where active and clever_id in ('" + String.join("','", ids) + "')")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Every row of the six tables by key, every column but {@code updated_run}: which run last wrote a row is the
     * revert's own bookkeeping (a later revert of the same run finds its rows changed since by the revert).
     */
    private static Map<String, Map<String, Map<String, Object>>> snapshot(StoreConfig db) throws SQLException {
        Map<String, Map<String, Map<String, Object>>> out = new TreeMap<>();
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            for (var t : TABLES.entrySet()) {
                Map<String, Map<String, Object>> rows = new TreeMap<>();
                try (ResultSet rs = s.executeQuery("select * from " + t.getKey() + " order by " + t.getValue())) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Object> row = new TreeMap<>();
                        StringBuilder key = new StringBuilder();
                        for (String k : t.getValue().split(", ")) {
                            key.append(rs.getString(k)).append('/');
                        }
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String col = md.getColumnName(i).toLowerCase(java.util.Locale.ROOT);
                            if (!col.equals("updated_run")) {
                                row.put(col, rs.getObject(i) == null ? null : rs.getObject(i).toString());
                            }
                        }
                        rows.put(key.toString(), row);
                    }
                }
                out.put(t.getKey(), rows);
            }
        }
        return out;
    }
}
