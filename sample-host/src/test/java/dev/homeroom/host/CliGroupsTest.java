package dev.homeroom.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.homeroom.engine.CustomGroup;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.host.e2e.CustomGroupsTest;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 10 item 8: {@code groups TEACHER_CLEVER_ID} and {@code groups show GROUP_ID}, as text and as JSON. */
class CliGroupsTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void groupsListsATeachersGroupsWithActiveAndInactiveCountsAndShowListsTheMembers(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        String[] store = {"--db", db.jdbcUrl(), "--db-user", db.user()};
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start()) {
            CliContractTest.Result sync = CliContractTest.run(args(List.of("sync", "--clever-url", sim.baseUrl().toString(), "--token", sim.token()), store));
            assertThat(sync.code()).as(sync.err()).isZero();
            String[] taught = CustomGroupsTest.taughtSection(db, 3);
            String teacher = taught[0];
            String section = taught[1];
            List<String> students = CustomGroupsTest.sectionStudents(db, section);
            CustomGroup copy;
            CustomGroup empty;
            try (SyncEngine engine = SyncEngine.builder().store(db).discoverPlugins(false).build()) {
                copy = engine.groups().copyFromSection(teacher, section, "Reading circle");
                empty = engine.groups().createEmpty(teacher, "Later");
            }
            // the store says the first student's account is deactivated, as a sync would after Clever stopped sharing them
            try (var c = java.sql.DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password()); var s = c.createStatement()) {
                assertThat(s.executeUpdate("update account set active = false where clever_id = '" + students.get(0) + "'")).isEqualTo(1);
            }

            CliContractTest.Result list = CliContractTest.run(args(List.of("groups", teacher), store));
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).containsSubsequence(
                    copy.id() + "  COPIED_FROM_SECTION", "section " + section, "members " + students.size() + " (" + (students.size() - 1)
                            + " active, 1 inactive)  Reading circle",
                    empty.id() + "  EMPTY", "members 0 (0 active, 0 inactive)  Later",
                    "2 custom groups of teacher " + teacher);

            CliContractTest.Result json = CliContractTest.run(args(List.of("groups", teacher, "--json"), store));
            assertThat(json.code()).as(json.err()).isZero();
            JsonNode array = json.json();
            assertThat(array).hasSize(2);
            assertThat(array.get(0).get("id").asText()).isEqualTo(copy.id());
            assertThat(array.get(0).get("origin").asText()).isEqualTo("COPIED_FROM_SECTION");
            assertThat(array.get(0).get("activeMembers").asInt()).isEqualTo(students.size() - 1);
            assertThat(array.get(0).get("inactiveMembers").asInt()).isEqualTo(1);
            assertThat(array.get(1).get("name").asText()).isEqualTo("Later");

            CliContractTest.Result show = CliContractTest.run(args(List.of("groups", "show", copy.id()), store));
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out()).startsWith(copy.id() + "  Reading circle  teacher " + teacher)
                    .contains("COPIED_FROM_SECTION of section " + section)
                    .contains(students.size() + " members: " + (students.size() - 1) + " active, 1 inactive");
            assertThat(show.out().lines().filter(l -> l.startsWith("  " + students.get(0) + " "))).singleElement()
                    .satisfies(l -> assertThat(l).contains("INACTIVE", "COPIED"));
            assertThat(show.out().lines().filter(l -> l.contains(" ACTIVE "))).hasSize(students.size() - 1);

            CliContractTest.Result showJson = CliContractTest.run(args(List.of("groups", "show", copy.id(), "--json"), store));
            assertThat(showJson.code()).as(showJson.err()).isZero();
            JsonNode members = showJson.json().get("members");
            assertThat(members).hasSize(students.size());
            List<String> inactive = new ArrayList<>();
            members.forEach(m -> {
                if (m.get("status").asText().equals("INACTIVE")) {
                    inactive.add(m.get("userId").asText());
                }
            });
            assertThat(inactive).containsExactly(students.get(0));
            assertThat(showJson.json().get("group").get("sourceSectionId").asText()).isEqualTo(section);

            CliContractTest.Result unknownTeacher = CliContractTest.run(args(List.of("groups", "nobody"), store));
            assertThat(unknownTeacher.code()).isEqualTo(HomeroomCli.USAGE);
            assertThat(unknownTeacher.err()).contains("HR-GROUP-001").hasLineCount(1);
            CliContractTest.Result unknownGroup = CliContractTest.run(args(List.of("groups", "show", "g-nothing"), store));
            assertThat(unknownGroup.code()).isEqualTo(HomeroomCli.USAGE);
            assertThat(unknownGroup.err()).contains("HR-GROUP-014").hasLineCount(1);
            CliContractTest.Result none = CliContractTest.run(args(List.of("groups"), store));
            assertThat(none.code()).isEqualTo(HomeroomCli.USAGE);
            assertThat(none.err()).contains("give a teacher's Clever id");
        }
    }

    private static String[] args(List<String> head, String[] tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }
}
