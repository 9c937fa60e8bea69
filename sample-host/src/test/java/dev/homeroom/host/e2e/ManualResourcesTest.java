package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.ManualResources;
import dev.homeroom.engine.ManualResources.ClassValues;
import dev.homeroom.engine.ManualResources.ManualClass;
import dev.homeroom.engine.ManualResources.ManualStudent;
import dev.homeroom.engine.ManualResources.StudentValues;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.User;
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
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10 item 3, P21 PARTIAL_LOCKDOWN: a host's manual classes, students and memberships. A sync never changes or
 * deactivates them, whatever Clever's enrollments and records do; synced rows keep following Clever; a manual membership
 * of a class a sync deactivated stays, inactive while the class is; synced records refuse edits beyond their islands;
 * SIS_LOCKDOWN refuses manual resources; a revert and the safety guard leave manual rows alone.
 */
class ManualResourcesTest {
    /** The tables a host reads, each with its key columns. */
    private static final Map<String, String> TABLES = Map.of(
            "account", "clever_id, account_role", "classroom", "clever_id", "classroom_membership", "class_id, user_id, role",
            "term", "clever_id", "school", "clever_id", "course", "clever_id");

    @TempDir
    Path dir;

    /** Makes Clever's data look changed: users and sections it no longer shares, students it no longer enrolls. */
    static final class Changes extends dev.homeroom.host.testing.TransformingPlugin {
        final Set<String> hiddenUsers = new CopyOnWriteArraySet<>();
        final Set<String> hiddenSections = new CopyOnWriteArraySet<>();
        final Map<String, Set<String>> unenrolled = new ConcurrentHashMap<>();

        Changes() {
            super("changes");
        }

        @Override
        public User transformUser(User user) {
            return hiddenUsers.contains(user.id()) ? null : user;
        }

        @Override
        public Section transformSection(Section s) {
            if (hiddenSections.contains(s.id())) {
                return null;
            }
            Set<String> out = unenrolled.getOrDefault(s.id(), Set.of());
            if (out.isEmpty()) {
                return s;
            }
            List<String> students = s.students().stream().filter(id -> !out.contains(id)).toList();
            return new Section(s.id(), s.district(), s.name(), s.created(), s.lastModified(), s.course(), s.grade(), s.period(), s.school(),
                    s.sectionNumber(), s.sisId(), students, s.subject(), s.teacher(), s.teachers(), s.termId(), s.ext());
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSyncNeverChangesManualRowsWhileSyncedRowsFollowClever(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Changes clever = new Changes();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, clever, "PARTIAL_LOCKDOWN")) {
            String district = engine.sync(SyncMode.FULL).districtId();
            List<String> classes = classesWithStudents(db, 3);
            String synced = classes.get(0);
            List<String> members = members(db, synced);
            String syncedStudent = members.get(0);
            ManualResources manual = engine.manual();
            ManualClass club = manual.createClass(district, new ClassValues("Robotics club", "Science", "7"));
            ManualStudent ada = manual.createStudent(district, new StudentValues("Ada", "Lovelace", "ada@example.org", "7"));
            assertThat(club.id()).startsWith("manual-").doesNotMatch("[0-9a-f]{24}");
            assertThat(ada.id()).startsWith("manual-");
            assertThat(manual.join(synced, ada.id()).active()).as("a manual student in a synced class").isTrue();
            assertThat(manual.join(club.id(), ada.id()).active()).isTrue();
            assertThat(manual.join(club.id(), syncedStudent).active()).as("a synced student in a manual class").isTrue();

            List<AppliedChange> outbox = engine.pendingChanges(100_000).stream().filter(c -> c.key().contains("manual-")).toList();
            assertThat(outbox).extracting(c -> c.entity() + " " + c.key() + " " + c.change()).contains(
                    "section " + club.id() + " CREATED", "user " + ada.id() + "/student CREATED",
                    "membership " + synced + "/" + ada.id() + "/student CREATED",
                    "membership " + club.id() + "/" + syncedStudent + "/student CREATED");
            assertThat(engine.runs(20)).anyMatch(r -> r.runId().equals(outbox.get(0).runId()) && r.mode().equals("manual"));
            engine.acknowledge(engine.pendingChanges(100_000));
            Map<String, Map<String, Map<String, Object>>> manualRows = manualRows(db);
            assertThat(manualRows.get("classroom_membership")).hasSize(3);

            // Clever stops enrolling a student of the synced class, and enrolls nobody new: Clever's membership follows,
            // the manual one in the same class does not move
            String dropped = members.get(1);
            clever.unenrolled.put(synced, Set.of(dropped));
            SyncReport enrollments = engine.sync(SyncMode.FULL);
            assertThat(enrollments.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(activeMembership(db, synced, dropped)).as("Clever's membership follows Clever").isFalse();
            assertThat(manualRows(db)).as("row by row, manual rows as they were").isEqualTo(manualRows);

            // the district's data drops things: three students and another class go; the manual rows stay as they were
            List<String> gone = otherStudents(db, Set.of(syncedStudent), 3);
            clever.hiddenUsers.addAll(gone);
            clever.hiddenSections.add(classes.get(1));
            SyncReport drop = engine.sync(SyncMode.FULL);
            assertThat(drop.counts("users").deactivated()).as(drop.toString()).isEqualTo(3);
            assertThat(drop.counts("sections").deactivated()).isEqualTo(1);
            assertThat(activeAccounts(db, gone)).isZero();
            assertThat(manualRows(db)).as("row by row, manual rows as they were").isEqualTo(manualRows);
            assertThat(engine.pendingChanges(100_000)).noneMatch(c -> c.key().contains("manual-"));

            // the synced class itself goes: its manual membership stays, marked manual, inactive while the class is
            clever.hiddenSections.add(synced);
            SyncReport classGone = engine.sync(SyncMode.FULL);
            assertThat(classGone.counts("sections").deactivated()).isEqualTo(1);
            assertThat(manual.memberships(district)).filteredOn(m -> m.classId().equals(synced)).singleElement()
                    .satisfies(m -> {
                        assertThat(m.joined()).isTrue();
                        assertThat(m.active()).isFalse();
                    });
            assertThat(engine.pendingChanges(100_000)).extracting(c -> c.entity() + " " + c.key() + " " + c.change())
                    .contains("membership " + synced + "/" + ada.id() + "/student DEACTIVATED");
            assertThat(manualRows(db).get("classroom")).isEqualTo(manualRows.get("classroom"));
            assertThat(manualRows(db).get("account")).isEqualTo(manualRows.get("account"));
            // and comes back with it
            clever.hiddenSections.remove(synced);
            engine.sync(SyncMode.FULL);
            assertThat(activeMembership(db, synced, ada.id())).isTrue();

            Explanation e = engine.explain(ada.id()).orElseThrow();
            assertThat(e.outcome()).isEqualTo("MANUAL");
            assertThat(e.provisioned()).containsEntry("manual", true).containsEntry("first_name", "Ada");
            assertThat(engine.explain(district, club.id()).orElseThrow().kind()).isEqualTo("section");
            assertThat(engine.findRecords(district, club.id(), 5)).singleElement()
                    .satisfies(m -> assertThat(m.label() + " " + m.outcome()).isEqualTo("Robotics club MANUAL"));
            assertThat(engine.explain(syncedStudent).orElseThrow().provisioned().get("manual_classes")).isEqualTo(List.of(club.id()));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void syncedRecordsRefuseEditsButTheirIslandsWhileManualOnesAreEditable(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, new Changes(), "TWO_WAY")) {
            String district = engine.sync(SyncMode.FULL).districtId();
            String syncedClass = classesWithStudents(db, 1).get(0);
            String syncedStudent = members(db, syncedClass).get(0);
            ManualResources manual = engine.manual();
            assertThatThrownBy(() -> manual.editStudent(syncedStudent, new StudentValues("A", "B", null, "9")))
                    .isInstanceOf(ConfigurationException.class)
                    .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-007"))
                    .hasMessageContaining("only its graduation year").hasMessageContaining("editGraduationYear").hasMessageNotContaining("\n");
            assertThatThrownBy(() -> manual.editClass(syncedClass, new ClassValues("Mine now", null, null)))
                    .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-006"))
                    .hasMessageContaining("only its display name");
            assertThatThrownBy(() -> manual.setClassActive(syncedClass, false))
                    .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-006"));
            engine.editClassDisplayName(syncedClass, "Island edit"); // the islands still take edits

            ManualClass club = manual.createClass(district, new ClassValues("Chess", null, null));
            ManualStudent bo = manual.createStudent(district, new StudentValues("Bo", "Diddley", null, "8"));
            assertThatThrownBy(() -> engine.editClassDisplayName(club.id(), "x"))
                    .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-012"));
            ManualClass edited = manual.editClass(club.id(), new ClassValues("Chess club", "Games", "6"));
            assertThat(edited).extracting(ManualClass::name, ManualClass::subject, ManualClass::grade).containsExactly("Chess club", "Games", "6");
            ManualStudent bob = manual.editStudent(bo.id(), new StudentValues("Bob", "Diddley", "bob@example.org", "9"));
            assertThat(bob).extracting(ManualStudent::firstName, ManualStudent::email, ManualStudent::grade)
                    .containsExactly("Bob", "bob@example.org", "9");
            assertThatThrownBy(() -> manual.editStudent(bo.id(), new StudentValues("Bob", "D", "not-an-email", null)))
                    .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-004"));

            // a manual membership follows the host's deactivation of its student, and a leave keeps it, inactive
            assertThat(manual.join(club.id(), bo.id()).active()).isTrue();
            assertThat(manual.join(club.id(), syncedStudent).active()).isTrue();
            assertThat(manual.setStudentActive(bo.id(), false).active()).isFalse();
            assertThat(activeMembership(db, club.id(), bo.id())).isFalse();
            assertThat(manual.setStudentActive(bo.id(), true).active()).isTrue();
            assertThat(activeMembership(db, club.id(), bo.id())).isTrue();
            assertThat(manual.setClassActive(club.id(), false).active()).isFalse();
            assertThat(activeMembership(db, club.id(), syncedStudent)).isFalse();
            manual.setClassActive(club.id(), true);
            assertThat(manual.leave(club.id(), syncedStudent)).satisfies(m -> {
                assertThat(m.joined()).isFalse();
                assertThat(m.active()).isFalse();
            });
            assertThat(manual.memberships(district)).hasSize(2);
            assertThatThrownBy(() -> manual.leave(syncedClass, members(db, syncedClass).get(1)))
                    .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-010"))
                    .hasMessageContaining("Clever's enrollments");

            // a synced student joined by hand stays when Clever stops enrolling them
            SyncReport again = engine.sync(SyncMode.FULL);
            assertThat(again.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(manual.classes(district)).singleElement().extracting(ManualClass::name, ManualClass::active)
                    .containsExactly("Chess club", true);
            assertThat(manual.students(district)).singleElement().extracting(ManualStudent::firstName).isEqualTo("Bob");

            // the operator's view: manual list
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = dev.homeroom.host.HomeroomCli.execute(new String[] {"manual", "list", "--db", db.jdbcUrl(), "--db-user", db.user(),
                    "--db-password", db.password() == null ? "" : db.password()}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("class       " + club.id() + "  active   Chess club", "student     " + bo.id(),
                    "membership  " + club.id() + "/" + syncedStudent + "  inactive (taken out)",
                    "1 manual classes, 1 manual students, 2 manual memberships in district " + district);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void sisLockdownRefusesManualResourcesAndManualStrategyAllowsThem(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start()) {
            String district;
            try (SyncEngine engine = engine(sim, db, new Changes(), "SIS_LOCKDOWN")) {
                district = engine.sync(SyncMode.FULL).districtId();
                assertThatThrownBy(() -> engine.manual().createClass(district, new ClassValues("Club", null, null)))
                        .isInstanceOf(ConfigurationException.class)
                        .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-002"))
                        .hasMessageContaining("SIS_LOCKDOWN").hasMessageNotContaining("\n");
                assertThatThrownBy(() -> engine.manual().createStudent(district, new StudentValues("A", "B", null, null)))
                        .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-002"));
                assertThat(manualRows(db).get("classroom")).isEmpty();
                assertThatThrownBy(() -> engine.manual().createClass("no-such-district", new ClassValues("Club", null, null)))
                        .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-001"));
            }
            try (SyncEngine engine = engine(sim, db, new Changes(), "MANUAL")) {
                ManualClass club = engine.manual().createClass(district, new ClassValues("Club", null, null));
                ManualStudent cy = engine.manual().createStudent(district, new StudentValues("Cy", "Young", null, null));
                engine.manual().join(club.id(), cy.id());
                SyncReport halted = engine.sync(SyncMode.FULL);
                assertThat(halted.status()).isEqualTo(SyncStatus.HALTED);
                assertThat(engine.plannedChanges(halted.runId())).noneMatch(c -> c.key().contains("manual-"));
                assertThat(engine.manual().memberships(district)).singleElement().satisfies(m -> assertThat(m.active()).isTrue());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aRevertLeavesManualRowsAloneAndTheSafetyGuardDoesNotCountThem(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Changes clever = new Changes();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, clever, "PARTIAL_LOCKDOWN")) {
            String district = engine.sync(SyncMode.FULL).districtId();
            String synced = classesWithStudents(db, 1).get(0);
            ManualResources manual = engine.manual();
            ManualClass club = manual.createClass(district, new ClassValues("Band", "Music", null));
            ManualStudent dee = manual.createStudent(district, new StudentValues("Dee", "Dee", null, "5"));
            manual.join(synced, dee.id());
            manual.join(club.id(), dee.id());
            Map<String, Map<String, Map<String, Object>>> before = snapshot(db);
            Map<String, Map<String, Map<String, Object>>> manualBefore = manualRows(db);

            // a run that takes a synced class and three students away; the manual membership in that class follows it
            clever.hiddenSections.add(synced);
            clever.hiddenUsers.addAll(otherStudents(db, Set.of(), 3));
            SyncReport gone = engine.sync(SyncMode.FULL);
            assertThat(gone.counts("sections").deactivated()).isEqualTo(1);
            assertThat(activeMembership(db, synced, dee.id())).isFalse();
            assertThatThrownBy(() -> engine.revert(manual.classes(district).get(0).runId()))
                    .satisfies(x -> assertThat(((ConfigurationException) x).code()).isEqualTo("HR-MANUAL-013"));

            SyncReport revert = engine.revert(gone.runId());
            assertThat(revert.status()).as(String.valueOf(revert.guard())).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(snapshot(db)).as("row by row, as before the reverted run").isEqualTo(before);
            Map<String, Map<String, Map<String, Object>>> manualAfter = manualRows(db);
            assertThat(manualAfter.get("classroom")).as("untouched, updated_run included").isEqualTo(manualBefore.get("classroom"));
            assertThat(manualAfter.get("account")).isEqualTo(manualBefore.get("account"));
            assertThat(manualAfter.get("classroom_membership")).containsEntry(club.id() + "/" + dee.id() + "/student/",
                    manualBefore.get("classroom_membership").get(club.id() + "/" + dee.id() + "/student/"));

            // P23: many manual students do not dilute the accounts share; a quarter of Clever's users going still halts
            for (int i = 0; i < 30; i++) {
                manual.createStudent(district, new StudentValues("Manual", "Student" + i, null, null));
            }
            clever.hiddenSections.clear();
            clever.hiddenUsers.clear();
            engine.sync(SyncMode.FULL);
            long syncedActive = count(db, "select count(*) from account where active and not manual");
            long manualActive = count(db, "select count(*) from account where active and manual");
            assertThat(manualActive).isEqualTo(31);
            List<String> quarter = otherStudents(db, Set.of(), (int) (syncedActive / 4));
            clever.hiddenUsers.addAll(quarter);
            SyncReport halted = engine.sync(SyncMode.FULL);
            assertThat(halted.status()).isEqualTo(SyncStatus.HALTED);
            assertThat(halted.guard()).contains("of " + syncedActive + " active accounts");
            assertThat(count(db, "select count(*) from account where active and manual")).isEqualTo(31);
        }
    }

    private SyncEngine engine(CleverSimulator sim, StoreConfig db, Changes plugin, String strategy) throws Exception {
        Path policies = dir.resolve(strategy + ".properties");
        Files.writeString(policies, "sync.strategy = " + strategy + "\n");
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).discoverPlugins(false)
                .policiesFile(policies).plugin(plugin).build();
    }

    private static Connection connect(StoreConfig db) throws SQLException {
        return DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password());
    }

    private static List<String> strings(StoreConfig db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long count(StoreConfig db, String sql) throws SQLException {
        return Long.parseLong(strings(db, sql).get(0));
    }

    /** Synced classes with at least three active student members. */
    private static List<String> classesWithStudents(StoreConfig db, int n) throws SQLException {
        List<String> ids = strings(db, "select m.class_id from classroom_membership m join classroom c on c.district_id = m.district_id"
                + " and c.clever_id = m.class_id and c.active and not c.manual where m.active and m.role = 'student'"
                + " group by m.class_id having count(*) >= 3 order by m.class_id");
        assertThat(ids).hasSizeGreaterThanOrEqualTo(n);
        return ids.subList(0, n);
    }

    private static List<String> members(StoreConfig db, String classId) throws SQLException {
        return strings(db, "select user_id from classroom_membership where class_id = '" + classId
                + "' and active and role = 'student' and not manual order by user_id");
    }

    /** Synced active students other than these. */
    private static List<String> otherStudents(StoreConfig db, Set<String> not, int n) throws SQLException {
        List<String> ids = new ArrayList<>(strings(db, "select clever_id from account where account_role = 'student' and active"
                + " and not manual order by clever_id desc"));
        ids.removeAll(not);
        assertThat(ids).hasSizeGreaterThanOrEqualTo(n);
        return List.copyOf(ids.subList(0, n));
    }

    private static boolean activeMembership(StoreConfig db, String classId, String userId) throws SQLException {
        return count(db, "select count(*) from classroom_membership where active and class_id = '" + classId + "' and user_id = '"
                + userId + "'") == 1;
    }

    private static long activeAccounts(StoreConfig db, List<String> ids) throws SQLException {
        return count(db, "select count(*) from account where active and clever_id in ('" + String.join("','", ids) + "')");
    }

    /** The manual rows of the three tables that hold them, every column. */
    private static Map<String, Map<String, Map<String, Object>>> manualRows(StoreConfig db) throws SQLException {
        return rows(db, Map.of("account", "clever_id, account_role", "classroom", "clever_id", "classroom_membership",
                "class_id, user_id, role"), "where manual", Set.of());
    }

    /** Every row of the six tables by key, every column but {@code updated_run} (as RevertRunTest compares them). */
    private static Map<String, Map<String, Map<String, Object>>> snapshot(StoreConfig db) throws SQLException {
        return rows(db, TABLES, "", Set.of("updated_run"));
    }

    private static Map<String, Map<String, Map<String, Object>>> rows(StoreConfig db, Map<String, String> tables, String where,
                                                                     Set<String> leftOut) throws SQLException {
        Map<String, Map<String, Map<String, Object>>> out = new TreeMap<>();
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            for (var t : tables.entrySet()) {
                Map<String, Map<String, Object>> rows = new TreeMap<>();
                try (ResultSet rs = s.executeQuery("select * from " + t.getKey() + " " + where + " order by " + t.getValue())) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Object> row = new TreeMap<>();
                        StringBuilder key = new StringBuilder();
                        for (String k : t.getValue().split(", ")) {
                            key.append(rs.getString(k)).append('/');
                        }
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String col = md.getColumnName(i).toLowerCase(java.util.Locale.ROOT);
                            if (!leftOut.contains(col)) {
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
