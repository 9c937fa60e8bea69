package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.CustomGroup;
import dev.homeroom.engine.CustomGroups;
import dev.homeroom.engine.GroupMember;
import dev.homeroom.engine.GroupWithMembers;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.DistrictPlugin;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10 item 4: teachers' custom groups. A group copied from a section keeps its members whatever Clever does to the
 * section; a student Clever stops sharing stays in the group as inactive and is active again once the account is; a
 * sync and a revert never write a group; a split's sub-groups are the section, each student in one; picking refuses a
 * student who is not the teacher's; a reissued id keeps its group memberships.
 */
public class CustomGroupsTest {
    @TempDir
    Path dir;

    /** A plugin that makes Clever look changed: renamed sections, students who join one, users Clever no longer shares. */
    static final class Classrooms extends dev.homeroom.host.testing.TransformingPlugin {
        final Map<String, String> renamed = new ConcurrentHashMap<>();
        final Map<String, List<String>> joined = new ConcurrentHashMap<>();
        final Set<String> hidden = new CopyOnWriteArraySet<>();

        Classrooms() {
            super("classrooms");
        }

        @Override
        public User transformUser(User u) {
            return hidden.contains(u.id()) ? null : u;
        }

        @Override
        public Section transformSection(Section s) {
            List<String> students = new ArrayList<>(s.students().stream().filter(id -> !hidden.contains(id)).toList());
            joined.getOrDefault(s.id(), List.of()).stream().filter(id -> !students.contains(id)).forEach(students::add);
            return new Section(s.id(), s.district(), renamed.getOrDefault(s.id(), s.name()), s.created(), s.lastModified(), s.course(),
                    s.grade(), s.period(), s.school(), s.sectionNumber(), s.sisId(), students, s.subject(), s.teacher(), s.teachers(),
                    s.termId(), s.ext());
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aGroupCopiedFromASectionKeepsItsMembersWhenTheSectionIsRenamedLosesAStudentAndGainsAnother(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Classrooms plugin = new Classrooms();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin, "")) {
            ok(engine.sync(SyncMode.FULL));
            String[] taught = taughtSection(db, 4);
            String teacher = taught[0];
            String section = taught[1];
            List<String> students = sectionStudents(db, section);
            CustomGroups groups = engine.groups();
            CustomGroup copy = groups.copyFromSection(teacher, section, "  Reading circle ");
            assertThat(copy.origin()).isEqualTo(CustomGroup.Origin.COPIED_FROM_SECTION);
            assertThat(copy.sourceSectionId()).isEqualTo(section);
            assertThat(copy.name()).isEqualTo("Reading circle");
            assertThat(copy.activeMembers()).isEqualTo(students.size());
            assertThat(memberIds(groups.group(copy.id()).orElseThrow())).containsExactlyInAnyOrderElementsOf(students);
            assertThat(groups.group(copy.id()).orElseThrow().members()).allMatch(m -> m.active() && m.addedHow() == GroupMember.AddedHow.COPIED);
            List<String> tablesBefore = groupTables(db);

            // Clever renames the section, stops sharing one of its students and enrolls another student in it
            String lost = students.get(0);
            String gained = otherStudent(db, section);
            plugin.renamed.put(section, "Renamed in Clever");
            plugin.hidden.add(lost);
            plugin.joined.put(section, List.of(gained));
            SyncReport changed = ok(engine.sync(SyncMode.FULL));
            assertThat(changed.counts("users").deactivated()).isEqualTo(1);
            assertThat(query(db, "select name from classroom where clever_id = '" + section + "'")).containsExactly("Renamed in Clever");
            assertThat(sectionStudents(db, section)).contains(gained).doesNotContain(lost);

            GroupWithMembers after = groups.group(copy.id()).orElseThrow();
            assertThat(groupTables(db)).as("the sync wrote nothing to the groups").isEqualTo(tablesBefore);
            assertThat(after.group().name()).isEqualTo("Reading circle");
            assertThat(after.group().editedAt()).isEqualTo(copy.editedAt());
            assertThat(memberIds(after)).as("the same members: the gained student joined the section, not the group")
                    .containsExactlyInAnyOrderElementsOf(students);
            assertThat(status(after)).containsEntry(lost, GroupMember.Status.INACTIVE);
            assertThat(status(after).entrySet()).filteredOn(e -> !e.getKey().equals(lost)).allMatch(e -> e.getValue() == GroupMember.Status.ACTIVE);
            assertThat(after.group().activeMembers()).isEqualTo(students.size() - 1);
            assertThat(after.group().inactiveMembers()).isEqualTo(1);
            assertThat(groups.groupsOf(teacher)).singleElement().satisfies(g -> assertThat(g.inactiveMembers()).isEqualTo(1));
            assertThat(groups.groupsWithMember(lost)).extracting(CustomGroup::id).containsExactly(copy.id());

            // a revert of that run restores the account and leaves the groups alone: the member reads active again
            SyncReport revert = engine.revert(changed.runId());
            assertThat(revert.status()).as(String.valueOf(revert.guard())).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(groupTables(db)).as("the revert wrote nothing to the groups").isEqualTo(tablesBefore);
            assertThat(status(groups.group(copy.id()).orElseThrow())).containsEntry(lost, GroupMember.Status.ACTIVE);

            // Clever still does not share the student: the next sync deactivates the account again, the member is inactive
            ok(engine.sync(SyncMode.FULL));
            assertThat(status(groups.group(copy.id()).orElseThrow())).containsEntry(lost, GroupMember.Status.INACTIVE);

            // Clever shares the student again: the account is reactivated and the member is active, nothing repaired
            plugin.hidden.remove(lost);
            SyncReport back = ok(engine.sync(SyncMode.FULL));
            assertThat(back.counts("users").reactivated()).isEqualTo(1);
            GroupWithMembers again = groups.group(copy.id()).orElseThrow();
            assertThat(again.members()).hasSize(students.size()).allMatch(GroupMember::active);
            assertThat(again.group().inactiveMembers()).isZero();
            assertThat(groupTables(db)).isEqualTo(tablesBefore);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSplitSectionsSubGroupsHoldEachStudentOnceAndTheirUnionIsTheSectionUnderSisLockdownToo(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, new Classrooms(), "sync.strategy = SIS_LOCKDOWN\n")) {
            ok(engine.sync(SyncMode.FULL));
            String[] taught = taughtSection(db, 5);
            String teacher = taught[0];
            String section = taught[1];
            List<String> students = sectionStudents(db, section);
            assertThatThrownBy(() -> engine.editClassDisplayName(section, "x")).as("SIS_LOCKDOWN refuses edits of Clever's data")
                    .hasMessageContaining("SIS_LOCKDOWN");
            CustomGroups groups = engine.groups();

            List<CustomGroup> parts = groups.split(teacher, section, List.of("Red", "Green", "Blue"));
            assertThat(parts).extracting(CustomGroup::name).containsExactly("Red", "Green", "Blue");
            assertThat(parts).allMatch(g -> g.origin() == CustomGroup.Origin.SUB_GROUP && section.equals(g.sourceSectionId()) && g.members() > 0);
            List<String> all = new ArrayList<>();
            for (CustomGroup g : parts) {
                GroupWithMembers read = groups.group(g.id()).orElseThrow();
                assertThat(read.members()).allMatch(m -> m.addedHow() == GroupMember.AddedHow.SPLIT);
                all.addAll(memberIds(read));
            }
            assertThat(all).as("each student in exactly one").doesNotHaveDuplicates();
            assertThat(all).as("the union is the section").containsExactlyInAnyOrderElementsOf(students);
            assertThat(parts.stream().mapToInt(CustomGroup::members).max().getAsInt()
                    - parts.stream().mapToInt(CustomGroup::members).min().getAsInt()).as("dealt evenly").isLessThanOrEqualTo(1);

            // student by student, as a teacher drags them
            Map<String, List<String>> given = new LinkedHashMap<>();
            given.put("Front", students.subList(0, 2));
            given.put("Back", students.subList(2, students.size()));
            List<CustomGroup> byHand = groups.split(teacher, section, given);
            assertThat(byHand).extracting(CustomGroup::members).containsExactly(2, students.size() - 2);

            refused(() -> groups.split(teacher, section, List.of("Only one")), "HR-GROUP-010");
            refused(() -> groups.split(teacher, section, List.of("A", "a")), "HR-GROUP-011");
            refused(() -> groups.split(teacher, section, List.of("A", " ")), "HR-GROUP-006");
            Map<String, List<String>> missing = new LinkedHashMap<>();
            missing.put("A", students.subList(0, 1));
            missing.put("B", students.subList(1, students.size() - 1));
            refused(() -> groups.split(teacher, section, missing), "HR-GROUP-013");
            Map<String, List<String>> twice = new LinkedHashMap<>();
            twice.put("A", students);
            twice.put("B", students.subList(0, 1));
            refused(() -> groups.split(teacher, section, twice), "HR-GROUP-013");
            Map<String, List<String>> foreign = new LinkedHashMap<>(given);
            foreign.put("C", List.of(otherStudent(db, section)));
            refused(() -> groups.split(teacher, section, foreign), "HR-GROUP-013");
            assertThat(groups.groupsOf(teacher)).as("refused splits stored nothing").hasSize(5);

            ok(engine.sync(SyncMode.FULL));
            assertThat(groups.groupsOf(teacher)).as("a sync under SIS_LOCKDOWN leaves teachers' groups alone").hasSize(5)
                    .allMatch(g -> g.inactiveMembers() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void pickingRefusesAStudentOutsideTheTeachersSectionsAndBadInputIsOneLine(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, new Classrooms(), "")) {
            ok(engine.sync(SyncMode.FULL));
            String[] taught = taughtSection(db, 3);
            String teacher = taught[0];
            String section = taught[1];
            CustomGroups groups = engine.groups();
            List<String> theirs = groups.students(teacher);
            assertThat(theirs).containsAll(sectionStudents(db, section));
            assertThat(theirs).as("derived from the store like /users/{id}/mystudents")
                    .containsExactlyInAnyOrderElementsOf(query(db, "select distinct s.user_id from classroom_membership t join classroom_membership s"
                            + " on s.class_id = t.class_id and s.role = 'student' and s.active where t.user_id = '" + teacher
                            + "' and t.role = 'teacher' and t.active"));
            String foreign = query(db, "select min(a.clever_id) from account a where a.account_role = 'student' and a.active and a.clever_id not in ('"
                    + String.join("','", theirs) + "')").get(0);
            assertThat(foreign).isNotNull();

            refused(() -> groups.pick(teacher, "Mixed", List.of(theirs.get(0), foreign)), "HR-GROUP-008", foreign);
            assertThat(groups.groupsOf(teacher)).as("nothing stored").isEmpty();
            CustomGroup picked = groups.pick(teacher, "Picked", List.of(theirs.get(0), theirs.get(1), theirs.get(0)));
            assertThat(picked.origin()).isEqualTo(CustomGroup.Origin.PICKED);
            assertThat(picked.members()).isEqualTo(2);
            assertThat(groups.group(picked.id()).orElseThrow().members()).allMatch(m -> m.addedHow() == GroupMember.AddedHow.PICKED
                    && m.lastName() != null);

            CustomGroup empty = groups.createEmpty(teacher, "Later");
            assertThat(empty.origin()).isEqualTo(CustomGroup.Origin.EMPTY);
            assertThat(empty.members()).isZero();
            refused(() -> groups.addMembers(empty.id(), List.of(foreign)), "HR-GROUP-008");
            CustomGroup added = groups.addMembers(empty.id(), List.of(theirs.get(2)));
            assertThat(added.members()).isEqualTo(1);
            assertThat(added.editedAt()).isAfterOrEqualTo(empty.editedAt());
            assertThat(groups.group(empty.id()).orElseThrow().members()).singleElement()
                    .satisfies(m -> assertThat(m.addedHow()).isEqualTo(GroupMember.AddedHow.ADDED));
            assertThat(groups.addMembers(empty.id(), List.of(theirs.get(2))).members()).as("already in: left as it is").isEqualTo(1);
            refused(() -> groups.removeMembers(empty.id(), List.of(theirs.get(0))), "HR-GROUP-015");
            assertThat(groups.removeMembers(empty.id(), List.of(theirs.get(2))).members()).isZero();
            assertThat(groups.rename(empty.id(), "Now").name()).isEqualTo("Now");
            refused(() -> groups.rename(empty.id(), "   "), "HR-GROUP-006");
            refused(() -> groups.rename(empty.id(), "x".repeat(201)), "HR-GROUP-007");
            groups.delete(empty.id());
            assertThat(groups.group(empty.id())).isEmpty();
            assertThat(groups.groupsOf(teacher)).extracting(CustomGroup::id).containsExactly(picked.id());

            String student = theirs.get(0);
            String otherSection = query(db, "select min(clever_id) from classroom c where active and not exists (select 1 from"
                    + " classroom_membership m where m.class_id = c.clever_id and m.user_id = '" + teacher + "')").get(0);
            assertThat(otherSection).as("a section the teacher does not teach").isNotNull();
            refused(() -> groups.createEmpty("no-such-teacher", "G"), "HR-GROUP-001");
            refused(() -> groups.createEmpty(student, "G"), "HR-GROUP-001");
            refused(() -> groups.createEmpty(teacher, ""), "HR-GROUP-006");
            refused(() -> groups.copyFromSection(teacher, "no-such-section", "G"), "HR-GROUP-004");
            refused(() -> groups.copyFromSection(teacher, otherSection, "G"), "HR-GROUP-005");
            refused(() -> groups.pick(teacher, "G", List.of()), "HR-GROUP-009");
            refused(() -> groups.delete("g-nothing"), "HR-GROUP-014");
            refused(() -> groups.groupsOf(" "), "HR-GROUP-017");
            refused(() -> groups.groupsWithMember("nobody"), "HR-GROUP-018");
            refused(() -> groups.split(teacher, section, java.util.Collections.nCopies(0, "x")), "HR-GROUP-010");
            assertThat(groups.groupsOf(teacher)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aReissuedIdKeepsItsGroupMembershipsAndTheGroupsItOwns(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        IdentityQuirksTest.Reissue plugin = new IdentityQuirksTest.Reissue();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin, "")) {
            ok(engine.sync(SyncMode.FULL));
            String[] taught = taughtSection(db, 3);
            String teacher = taught[0];
            String section = taught[1];
            String student = query(db, "select min(a.clever_id) from account a join classroom_membership m on m.user_id = a.clever_id"
                    + " and m.class_id = '" + section + "' and m.role = 'student' and m.active where a.account_role = 'student' and a.active"
                    + " and a.sis_id is not null and a.email is not null").get(0);
            assertThat(student).as("a student with an SIS id and email").isNotNull();
            assertThat(query(db, "select clever_id from account where clever_id = '" + teacher + "' and sis_id is not null and email is not null"))
                    .as("the teacher has an SIS id and email").isNotEmpty();
            CustomGroups groups = engine.groups();
            CustomGroup copy = groups.copyFromSection(teacher, section, "Copied");
            CustomGroup picked = groups.pick(teacher, "Just one", List.of(student));

            String newStudent = "fe" + student.substring(2);
            String newTeacher = "fd" + teacher.substring(2);
            plugin.users.put(student, newStudent);
            plugin.users.put(teacher, newTeacher);
            SyncReport second = ok(engine.sync(SyncMode.FULL));
            assertThat(second.counts("users").deactivated()).as("nobody lost an account").isZero();

            for (CustomGroup g : List.of(copy, picked)) {
                GroupWithMembers read = groups.group(g.id()).orElseThrow();
                assertThat(read.group().teacherId()).as("the group follows its teacher").isEqualTo(newTeacher);
                assertThat(memberIds(read)).contains(newStudent).doesNotContain(student);
                assertThat(status(read)).containsEntry(newStudent, GroupMember.Status.ACTIVE);
                assertThat(read.group().inactiveMembers()).isZero();
            }
            assertThat(groups.groupsOf(newTeacher)).extracting(CustomGroup::id).containsExactly(copy.id(), picked.id());
            assertThat(groups.groupsWithMember(newStudent)).extracting(CustomGroup::id).containsExactlyInAnyOrder(copy.id(), picked.id());
            refused(() -> groups.groupsOf(teacher), "HR-GROUP-001");
        }
    }

    private static SyncReport ok(SyncReport report) {
        assertThat(report.status()).as(report.toString()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        return report;
    }

    private static void refused(Runnable call, String code, String... mentions) {
        assertThatThrownBy(call::run).isInstanceOf(ConfigurationException.class)
                .satisfies(e -> {
                    assertThat(((ConfigurationException) e).code()).isEqualTo(code);
                    assertThat(e.getMessage()).doesNotContain("\n");
                    if (mentions.length > 0) {
                        assertThat(e.getMessage()).contains(mentions);
                    }
                });
    }

    private static List<String> memberIds(GroupWithMembers g) {
        return g.members().stream().map(GroupMember::userId).toList();
    }

    private static Map<String, GroupMember.Status> status(GroupWithMembers g) {
        return g.members().stream().collect(Collectors.toMap(GroupMember::userId, GroupMember::status));
    }

    /** A teacher and an active section they teach with at least {@code students} active students. */
    public static String[] taughtSection(StoreConfig db, int students) throws SQLException {
        List<String> rows = query(db, "select t.user_id || ' ' || t.class_id from classroom_membership t join classroom c on c.clever_id = t.class_id"
                + " and c.active join account a on a.clever_id = t.user_id and a.account_role = 'teacher' and a.active"
                + " where t.role = 'teacher' and t.active and (select count(*) from classroom_membership s where s.class_id = t.class_id"
                + " and s.role = 'student' and s.active) >= " + students + " order by t.class_id, t.user_id");
        assertThat(rows).as("a taught section with " + students + " students").isNotEmpty();
        return rows.get(0).split(" ");
    }

    public static List<String> sectionStudents(StoreConfig db, String section) throws SQLException {
        return query(db, "select user_id from classroom_membership where class_id = '" + section + "' and role = 'student' and active order by user_id");
    }

    /** An active student of another class of the same school, not in this section. */
    private static String otherStudent(StoreConfig db, String section) throws SQLException {
        String id = query(db, "select min(s.user_id) from classroom_membership s join classroom c on c.clever_id = s.class_id"
                + " join classroom mine on mine.clever_id = '" + section + "' and mine.school_id = c.school_id"
                + " join account a on a.clever_id = s.user_id and a.account_role = 'student' and a.active"
                + " where s.role = 'student' and s.active and s.class_id <> '" + section + "' and not exists (select 1 from classroom_membership x"
                + " where x.class_id = '" + section + "' and x.user_id = s.user_id)").get(0);
        assertThat(id).as("a student outside the section").isNotNull();
        return id;
    }

    /** Every row of the two group tables, as text. */
    private static List<String> groupTables(StoreConfig db) throws SQLException {
        List<String> rows = new ArrayList<>(query(db, "select group_id || '|' || district_id || '|' || owner_id || '|' || name || '|' || origin"
                + " || '|' || coalesce(source_section_id, '-') || '|' || cast(created_at as varchar(40)) || '|' || cast(edited_at as varchar(40))"
                + " from custom_group order by group_id"));
        rows.addAll(query(db, "select group_id || '|' || district_id || '|' || user_id || '|' || added_how || '|' || cast(added_at as varchar(40))"
                + " from custom_group_member order by group_id, user_id"));
        assertThat(new HashSet<>(rows)).hasSize(rows.size());
        return rows;
    }

    private SyncEngine engine(CleverSimulator sim, StoreConfig db, DistrictPlugin plugin, String policies) throws Exception {
        Path file = dir.resolve("p" + System.nanoTime() + ".properties");
        Files.writeString(file, policies);
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).discoverPlugins(false)
                .policiesFile(file).plugin(plugin).build();
    }

    static List<String> query(StoreConfig db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
