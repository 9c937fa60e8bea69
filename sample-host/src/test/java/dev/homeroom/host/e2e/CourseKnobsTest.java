package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10 item 5: P19 {@code courses.per_school = true} (one course row per Clever course and school with a section of
 * it) and P13 {@code students.multi_class = SELF_COURSE} (a self-generated course grouping a student's classes), synced
 * from the simulator: they hold what the data calls for after a full run, after incremental runs (compared with a full
 * sync of the same data into another store), are idempotent, and a run that changed them is reverted row by row.
 */
class CourseKnobsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void perSchoolCoursesHaveOneCopyPerSchoolWithASectionOfTheCourse(Vendor vendor) throws Exception {
        exercise(vendor, "courses.per_school = true\n", false, db -> {
            assertThat(activeCopies(db)).as("one active row per (course, school with a section of it)").isEqualTo(wantedCopies(db));
            assertThat(queryStrings(db, "select clever_id from course where active and school_id = '' and district_id = ?"))
                    .as("no district-wide row under per_school").isEmpty();
            assertThat(queryStrings(db, "select clever_id from course where school_id <> '' and district_id = ?")).isNotEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void selfCoursesGroupEachFlaggedStudentsClasses(Vendor vendor) throws Exception {
        exercise(vendor, "students.multi_class = SELF_COURSE\n", true, db -> {
            Map<String, String> wanted = wantedSelfCourses(db);
            assertThat(wanted).as("the demo district has multi-class students").isNotEmpty();
            assertThat(activeSelfCourses(db)).isEqualTo(wanted);
        });
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void explainShowsAStudentsSelfCourseAndTheRuleThatAskedForIt(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        String student = district.idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0);
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim, db, policies("students.multi_class = SELF_COURSE\n"))) {
            ok(engine.sync(SyncMode.FULL));
            Explanation e = engine.explain(student).orElseThrow();
            assertThat(e.decisions()).anyMatch(l -> l.rule().equals("P13-SELF-COURSE") && l.reason().contains("self:" + student));
            @SuppressWarnings("unchecked")
            Map<String, Object> course = (Map<String, Object>) e.provisioned().get("self_course");
            assertThat(course).containsEntry("key", "self:" + student).containsEntry("active", true).containsEntry("self_generated", true);
            @SuppressWarnings("unchecked")
            List<String> classes = (List<String>) e.provisioned().get("classes");
            assertThat(course.get("section_ids")).isEqualTo(String.join(",", new TreeSet<>(classes)));
            assertThat((String) course.get("name")).endsWith(" — my classes");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void selfCoursesAreTakenBackWhenThePolicyNoLongerAsksForThem(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        Path file = policies("students.multi_class = SELF_COURSE\n");
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim, db, file)) {
            ok(engine.sync(SyncMode.FULL));
            assertThat(activeSelfCourses(db)).as("self courses under SELF_COURSE").isNotEmpty();
            Files.writeString(file, "students.multi_class = ALL\n"); // the next run reads the edited policies
            ok(engine.sync(SyncMode.FULL));
            assertThat(activeSelfCourses(db)).as("none active once the policy no longer asks for them").isEmpty();
            SyncReport again = engine.sync(SyncMode.FULL);
            ok(again);
            assertThat(activeSelfCourses(db)).isEmpty();
            assertThat(again.counts("courses").created() + again.counts("courses").deactivated()).as("nothing flaps").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void perSchoolAccountsGiveAUserOneAccountPerSchoolOfTheirSections(Vendor vendor) throws Exception {
        exercise(vendor, "users.multi_school = PER_SCHOOL_ACCOUNTS\n", CourseKnobsTest::accountRows, true, db -> {
            assertThat(queryStrings(db, "select clever_id || ' ' || account_school from account where active and district_id = ?"
                    + " and account_school <> ''")).as("per-school accounts exist").isNotEmpty();
            // every active account's user: an account at exactly the schools of its sections, or one at its primary school
            Map<String, Set<String>> accountSchools = pairs(db, "select clever_id, account_school from account"
                    + " where active and district_id = ?");
            Map<String, Set<String>> sectionSchools = pairs(db, "select e.user_id, e.school_id from clever_enrollment e"
                    + " join account a on a.district_id = e.district_id and a.clever_id = e.user_id and a.active"
                    + " where e.school_id is not null and e.district_id = ?");
            Map<String, Set<String>> primary = pairs(db, "select clever_id, coalesce(primary_school_id, '') from account"
                    + " where active and district_id = ?");
            accountSchools.forEach((user, schools) -> assertThat(schools).as("schools of " + user + "'s accounts")
                    .isEqualTo(sectionSchools.getOrDefault(user, primary.get(user))));
            assertThat(queryStrings(db, "select m.class_id || ' ' || m.user_id from classroom_membership m"
                    + " join classroom c on c.district_id = m.district_id and c.clever_id = m.class_id"
                    + " where m.active and m.district_id = ? and not exists (select 1 from account a where a.district_id = m.district_id"
                    + " and a.clever_id = m.user_id and a.active and a.account_school = c.school_id)"))
                    .as("every active membership goes with the account at its class's school").isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aMultiSchoolUserHasAnAccountAtEachSchoolAndExplainListsThem(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        String multi = district.idsWith(Quirk.USER_MULTI_SCHOOL).get(0);
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim, db, policies("users.multi_school = PER_SCHOOL_ACCOUNTS\n"))) {
            ok(engine.sync(SyncMode.FULL));
            Explanation e = engine.explain(multi).orElseThrow();
            assertThat(e.decisions()).anyMatch(l -> l.rule().equals("P14-PER-SCHOOL-ACCOUNTS"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> accounts = (List<Map<String, Object>>) e.provisioned().get("accounts");
            assertThat(accounts).hasSizeGreaterThan(1).allMatch(a -> Boolean.TRUE.equals(a.get("active")) && a.get("school") != null);
            assertThat(accounts.stream().map(a -> a.get("school")).distinct().count()).isEqualTo(accounts.size());
            assertThat(engine.pendingChanges(100_000)).filteredOn(c -> c.entity().equals("user") && c.key().startsWith(multi + "/"))
                    .hasSize(accounts.size()).allMatch(c -> c.change().equals("CREATED") && c.key().contains("@"));
        }
    }

    /** A plugin that moves sections to another school, as if Clever had. */
    static final class MoveSections extends dev.homeroom.host.testing.TransformingPlugin {
        final Map<String, String> toSchool = new java.util.concurrent.ConcurrentHashMap<>();

        MoveSections() {
            super("move-sections");
        }

        @Override
        public dev.homeroom.spi.Section transformSection(dev.homeroom.spi.Section x) {
            String school = toSchool.get(x.id());
            return school == null ? x : new dev.homeroom.spi.Section(x.id(), x.district(), x.name(), x.created(), x.lastModified(),
                    x.course(), x.grade(), x.period(), school, x.sectionNumber(), x.sisId(), x.students(), x.subject(), x.teacher(),
                    x.teachers(), x.termId(), x.ext());
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSectionMovedToAnotherSchoolMovesItsCourseCopyAndItsUsersAccountsAndARevertTakesItBack(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        MoveSections plugin = new MoveSections();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                     .policiesFile(policies("courses.per_school = true\nusers.multi_school = PER_SCHOOL_ACCOUNTS\n"))
                     .discoverPlugins(false).plugin(plugin).build()) {
            ok(engine.sync(SyncMode.FULL));
            // a section of a course no other school has: moving it moves the course's only copy
            String row = queryStrings(db, "select c.clever_id || ' ' || c.course_id || ' ' || c.school_id from classroom c"
                    + " where c.active and c.district_id = ? and c.course_id is not null and (select count(*) from classroom o"
                    + " where o.district_id = c.district_id and o.course_id = c.course_id) = 1").iterator().next();
            String[] p = row.split(" ");
            String section = p[0];
            String course = p[1];
            String from = p[2];
            String to = queryStrings(db, "select clever_id from school where active and district_id = ?").stream()
                    .filter(x -> !x.equals(from)).findFirst().orElseThrow();
            Map<String, String> coursesBefore = courseRows(db);
            Map<String, String> accountsBefore = accountRows(db);
            assertThat(activeCopies(db)).contains(course + "/" + from).doesNotContain(course + "/" + to);

            plugin.toSchool.put(section, to);
            SyncReport moved = ok(engine.sync(SyncMode.FULL));
            assertThat(activeCopies(db)).as("the copy follows the section").contains(course + "/" + to)
                    .doesNotContain(course + "/" + from).isEqualTo(wantedCopies(db));
            Set<String> students = queryStrings(db, "select user_id from clever_enrollment where role = 'student'"
                    + " and district_id = ? and section_id = '" + section + "'");
            assertThat(students).isNotEmpty();
            Map<String, Set<String>> accountSchools = pairs(db, "select clever_id, account_school from account"
                    + " where active and district_id = ?");
            for (String student : students) {
                assertThat(accountSchools.get(student)).as("the student's accounts").contains(to);
            }
            assertThat(queryStrings(db, "select m.user_id from classroom_membership m where m.active and m.district_id = ?"
                    + " and m.class_id = '" + section + "' and m.role = 'student'")).as("members at the new school")
                    .containsExactlyInAnyOrderElementsOf(students);

            SyncReport revert = engine.revert(moved.runId());
            assertThat(revert.status()).as(String.valueOf(revert.guard())).isEqualTo(SyncStatus.SUCCEEDED);
            for (var pair : List.of(Map.entry(coursesBefore, courseRows(db)), Map.entry(accountsBefore, accountRows(db)))) {
                Map<String, String> created = new TreeMap<>(pair.getValue());
                created.keySet().removeAll(pair.getKey().keySet());
                assertThat(created).as("rows the reverted run created are deactivated").isNotEmpty()
                        .allSatisfy((k, v) -> assertThat(v).endsWith("|false"));
                Map<String, String> kept = new TreeMap<>(pair.getValue());
                kept.keySet().removeAll(created.keySet());
                assertThat(diff(pair.getKey(), kept)).as("rows as before the reverted run").isEmpty();
            }
        }
    }

    @FunctionalInterface
    interface Check {
        void check(StoreConfig db) throws Exception;
    }

    /**
     * Full run, idempotent re-run, two revisions of incremental runs (each checked, and the last compared with a full
     * sync of the same data), a CHANGED full run that changes nothing, and a revert of the last incremental run.
     */
    @FunctionalInterface
    interface Rows {
        Map<String, String> of(StoreConfig db) throws SQLException;
    }

    private void exercise(Vendor vendor, String policies, boolean revisionsChangeCourses, Check check) throws Exception {
        exercise(vendor, policies, CourseKnobsTest::courseRows, revisionsChangeCourses, check);
    }

    private void exercise(Vendor vendor, String policies, Rows courseRows, boolean revisionsChangeCourses, Check check)
            throws Exception {
        Path file = policies(policies);
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        StoreConfig fullDb = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim, db, file);
             SyncEngine full = engine(sim, fullDb, file)) {
            ok(engine.sync(SyncMode.INCREMENTAL)); // the first incremental run is a full snapshot
            check.check(db);
            engine.acknowledge(engine.pendingChanges(100_000));
            SyncReport again = ok(engine.sync(SyncMode.FULL));
            assertThat(again.counts("courses").created() + again.counts("courses").updated() + again.counts("courses").deactivated())
                    .as("a re-run changes no course").isZero();
            assertThat(engine.pendingChanges(100_000)).as("a re-run puts nothing in the outbox").isEmpty();

            SyntheticDistrict current = district;
            Map<String, String> beforeLast = null;
            SyncReport last = null;
            for (int i = 0; i < 2; i++) {
                current = current.next();
                sim.advanceTo(current);
                beforeLast = courseRows.of(db);
                last = ok(engine.sync(SyncMode.INCREMENTAL));
                check.check(db);
            }
            ok(full.sync(SyncMode.FULL));
            Map<String, String> now = courseRows.of(db);
            // a store synced from scratch holds no row for what went before: the active rows are compared
            assertThat(active(now)).as("events end where a full sync of the same data ends").isEqualTo(active(courseRows.of(fullDb)));

            if (revisionsChangeCourses) {
                assertThat(beforeLast).as("the last incremental run changed courses").isNotEqualTo(now);
            }
            SyncReport revert = engine.revert(last.runId());
            assertThat(revert.status()).as(String.valueOf(revert.guard())).isEqualTo(SyncStatus.SUCCEEDED);
            // row by row as before; a row the reverted run created is deactivated (a revert deletes nothing)
            Map<String, String> reverted = courseRows.of(db);
            Map<String, String> created = new TreeMap<>(reverted);
            created.keySet().removeAll(beforeLast.keySet());
            assertThat(created.values()).as("rows the reverted run created").allMatch(v -> v.endsWith("|false"));
            reverted.keySet().removeAll(created.keySet());
            assertThat(diff(beforeLast, reverted)).as("rows as before the reverted run").isEmpty();
            check.check(db);

            // Clever's data is still the last revision: the next full run decides it all again and ends where it was
            ok(engine.sync(SyncMode.FULL));
            assertThat(courseRows.of(db)).isEqualTo(now);
            check.check(db);
            engine.acknowledge(engine.pendingChanges(100_000));
            ok(engine.sync(SyncMode.FULL));
            assertThat(courseRows.of(db)).as("a full run over the same data changes no course row").isEqualTo(now);
            assertThat(engine.pendingChanges(100_000)).filteredOn(c -> c.entity().equals("course")).isEmpty();
        }
    }

    /** The keys whose rows differ: what {@code expected} holds, then what {@code actual} holds. */
    private static Map<String, String> diff(Map<String, String> expected, Map<String, String> actual) {
        Map<String, String> out = new TreeMap<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            if (!java.util.Objects.equals(expected.get(k), actual.get(k))) {
                out.put(k, expected.get(k) + " -> " + actual.get(k));
            }
        }
        return out;
    }

    private static SyncReport ok(SyncReport r) {
        assertThat(r.status()).as(r.failure() + " " + r.guard()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        return r;
    }

    private Path policies(String text) throws Exception {
        Path file = dir.resolve("policies-" + UUID.randomUUID() + ".properties");
        Files.writeString(file, text);
        return file;
    }

    private static SyncEngine engine(CleverSimulator sim, StoreConfig db, Path policies) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).policiesFile(policies)
                .discoverPlugins(false).build();
    }

    /** Every course row, active or not, by (clever id, school): its values and active flag. */
    private static Map<String, String> courseRows(StoreConfig db) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = connect(db); PreparedStatement s = c.prepareStatement(
                "select clever_id, school_id, name, number, self_generated, section_ids, active from course")) {
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1) + "/" + r.getString(2), r.getString(3) + "|" + r.getString(4) + "|" + r.getBoolean(5)
                            + "|" + r.getString(6) + "|" + r.getBoolean(7));
                }
            }
        }
        return rows;
    }

    private static Map<String, String> active(Map<String, String> rows) {
        Map<String, String> out = new TreeMap<>(rows);
        out.values().removeIf(v -> v.endsWith("|false"));
        return out;
    }

    /** Every account row, active or not, by (clever id, role, school): its values and active flag. */
    private static Map<String, String> accountRows(StoreConfig db) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = connect(db); PreparedStatement s = c.prepareStatement(
                "select clever_id, account_role, account_school, first_name, last_name, grade, school_ids, flags, active from account")) {
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1) + "/" + r.getString(2) + "@" + r.getString(3), r.getString(4) + "|" + r.getString(5)
                            + "|" + r.getString(6) + "|" + r.getString(7) + "|" + r.getString(8) + "|" + r.getBoolean(9));
                }
            }
        }
        return rows;
    }

    private static Map<String, Set<String>> pairs(StoreConfig db, String sql) throws SQLException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Connection c = connect(db); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, SyntheticDistrict.demo().districtId());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new TreeSet<>()).add(r.getString(2));
                }
            }
        }
        return out;
    }

    private static Set<String> activeCopies(StoreConfig db) throws SQLException {
        return queryStrings(db, "select clever_id || '/' || school_id from course where active and not self_generated and district_id = ?");
    }

    /** (course, school) of every shared section whose course Clever shares. */
    private static Set<String> wantedCopies(StoreConfig db) throws SQLException {
        return queryStrings(db, "select distinct s.ref_course || '/' || s.ref_school from clever_record s"
                + " join clever_record c on c.district_id = s.district_id and c.kind = 'course' and c.clever_id = s.ref_course"
                + " and c.gone_run is null"
                + " where s.kind = 'section' and s.gone_run is null and s.ref_school is not null and s.district_id = ?");
    }

    /** Per flagged active student: the sorted classes they are an active member of. */
    private static Map<String, String> wantedSelfCourses(StoreConfig db) throws SQLException {
        Map<String, Set<String>> classes = new TreeMap<>();
        for (String row : queryStrings(db, "select a.clever_id || ' ' || m.class_id from account a join classroom_membership m"
                + " on m.district_id = a.district_id and m.user_id = a.clever_id and m.role = 'student' and m.active"
                + " where a.active and a.account_role = 'student' and a.flags like '%SELF_COURSE%' and a.district_id = ?")) {
            String[] p = row.split(" ");
            classes.computeIfAbsent("self:" + p[0], k -> new TreeSet<>()).add(p[1]);
        }
        Map<String, String> out = new TreeMap<>();
        classes.forEach((k, v) -> out.put(k, String.join(",", v)));
        return out;
    }

    private static Map<String, String> activeSelfCourses(StoreConfig db) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (String row : queryStrings(db, "select clever_id || ' ' || section_ids from course where active and self_generated"
                + " and district_id = ?")) {
            String[] p = row.split(" ");
            out.put(p[0], p[1]);
        }
        return out;
    }

    private static Set<String> queryStrings(StoreConfig db, String sql) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Connection c = connect(db); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, SyntheticDistrict.demo().districtId());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private static Connection connect(StoreConfig db) throws SQLException {
        return DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password());
    }
}
