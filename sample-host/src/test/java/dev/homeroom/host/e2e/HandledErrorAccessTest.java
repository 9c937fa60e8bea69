package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.host.e2e.malformed.CleverStub;
import dev.homeroom.host.e2e.realdata.TinyDistrict;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 item 2: a handled error on a record that was provisioned never leaves more access than Clever now grants
 * (docs/POLICIES.md, "Handled errors on provisioned records"). A user Clever gives no role loses the account; a user in
 * any handled error does too, until the data is fixed; a section in a handled error keeps its class, whose memberships
 * follow Clever's enrollments.
 */
class HandledErrorAccessTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aTeacherWhoLosesEveryRoleLosesTheAccountAndTheHostIsTold(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        try (CleverStub clever = district.serve(); SyncEngine engine = engine(clever, vendor, null)) {
            engine.sync(SyncMode.FULL);
            assertThat(active(engine, "teacher-1")).isTrue();
            engine.acknowledge(engine.pendingChanges(1000));

            TinyDistrict.roles(district.user("teacher-1")).clear();
            district.update(clever);
            SyncReport second = engine.sync(SyncMode.FULL);

            Explanation teacher = engine.explain("teacher-1").orElseThrow();
            assertThat(teacher.outcome()).isEqualTo("ERROR");
            assertThat(teacher.decisions().get(0).rule()).isEqualTo("P2-ERROR-NO-ROLE");
            assertThat(teacher.decisions().get(0).reason()).contains("no role").contains("deactivated");
            assertThat(active(engine, "teacher-1")).as("no role, no access").isFalse();
            assertThat(second.counts("users").deactivated()).isEqualTo(1);
            assertThat(second.deactivatedByRule()).containsEntry("P2-ERROR-NO-ROLE", 1L);
            assertThat(engine.pendingChanges(1000)).filteredOn(c -> c.entity().equals("user"))
                    .extracting(AppliedChange::key, AppliedChange::change)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("teacher-1/teacher", "DEACTIVATED"));

            // the role comes back: so does the account
            TinyDistrict.roles(district.user("teacher-1")).put("teacher", new LinkedHashMap<>(Map.of(
                    "school", TinyDistrict.SCHOOL, "schools", List.of(TinyDistrict.SCHOOL), "sis_id", "T1")));
            district.update(clever);
            engine.sync(SyncMode.FULL);
            assertThat(active(engine, "teacher-1")).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aProvisionedUserInAHandledErrorIsDeactivatedUntilTheDataIsFixed(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        Path policies = Files.writeString(dir.resolve("policies.properties"), "student.dob.missing = STRICT\n");
        try (CleverStub clever = district.serve(); SyncEngine engine = engine(clever, vendor, policies)) {
            engine.sync(SyncMode.FULL);
            assertThat(active(engine, "student-2")).isTrue();

            district.role("student-2", "student").remove("dob");
            district.update(clever);
            SyncReport second = engine.sync(SyncMode.FULL);

            assertThat(engine.explain("student-2").orElseThrow().outcome()).isEqualTo("ERROR");
            assertThat(active(engine, "student-2")).as("a handled error leaves no access Clever's data cannot vouch for").isFalse();
            assertThat(classes(engine, "student-2")).isEmpty();
            assertThat(second.deactivatedByRule()).containsEntry("P5-STRICT-DOB", 1L);

            district.role("student-2", "student").put("dob", "3/14/2014");
            district.update(clever);
            engine.sync(SyncMode.FULL);
            assertThat(active(engine, "student-2")).isTrue();
            assertThat(classes(engine, "student-2")).containsExactly("section-1");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSectionInAHandledErrorKeepsItsClassButItsMembersFollowClever(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        Path policies = Files.writeString(dir.resolve("policies.properties"), "fields.invalid = REJECT\n");
        try (CleverStub clever = district.serve(); SyncEngine engine = engine(clever, vendor, policies)) {
            engine.sync(SyncMode.FULL);
            assertThat(classes(engine, "student-3")).containsExactly("section-1");

            district.section("section-1").put("name", "Math\u0007 1");
            district.students("section-1").remove("student-3");
            district.update(clever);
            engine.sync(SyncMode.FULL);

            Explanation section = engine.explain("section-1").orElseThrow();
            assertThat(section.outcome()).isEqualTo("ERROR");
            assertThat(section.provisioned()).containsEntry("active", true).containsEntry("name", "Math section-1");
            assertThat(classes(engine, "student-3")).as("Clever no longer enrolls the student").isEmpty();
            assertThat(classes(engine, "student-1")).containsExactly("section-1");
        }
    }

    private static SyncEngine engine(CleverStub clever, Vendor vendor, Path policies) {
        SyncEngine.Builder b = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN)
                .store(TestDatabases.fresh(vendor)).discoverPlugins(false);
        if (policies != null) {
            b.policiesFile(policies);
        }
        return b.build();
    }

    static boolean active(SyncEngine engine, String id) {
        Map<String, Object> p = engine.explain(id).orElseThrow().provisioned();
        return p != null && Boolean.TRUE.equals(p.get("active"));
    }

    @SuppressWarnings("unchecked")
    static List<String> classes(SyncEngine engine, String userId) {
        Map<String, Object> p = engine.explain(userId).orElseThrow().provisioned();
        return p == null ? List.of() : (List<String>) p.get("classes");
    }
}
