package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy choices whose effect lives in the pipeline and the store, not only in a rule's decision (the rule scenarios in
 * rules/ cover the decisions): each is synced end to end from the simulator with the policies file a product team edits.
 */
class PolicyChoicesEndToEndTest {
    private static final SyntheticDistrict DISTRICT = SyntheticDistrict.demo();

    @TempDir
    Path dir;

    private void syncWith(String policies, Consumer<SyncEngine> check, StoreConfig db) throws Exception {
        Path file = dir.resolve("policies-" + UUID.randomUUID() + ".properties");
        Files.writeString(file, policies);
        try (CleverSimulator sim = CleverSimulator.builder().district(DISTRICT).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                     .store(db).policiesFile(file).discoverPlugins(false).build()) {
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.status()).as(report.failure() + " " + report.guard()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            check.accept(engine);
        }
    }

    private static StoreConfig freshH2() {
        return StoreConfig.h2Memory("policy" + UUID.randomUUID().toString().replace("-", ""));
    }

    @SuppressWarnings("unchecked")
    private static List<String> classes(Explanation e) {
        return (List<String>) e.provisioned().get("classes");
    }

    @Test
    void primarySchoolOnlyKeepsAMultiSchoolStudentInTheirOwnSchoolsSections() throws Exception {
        String multi = DISTRICT.idsWith(Quirk.USER_MULTI_SCHOOL).stream()
                .filter(id -> DISTRICT.record(id).orElseThrow().path("roles").has("student")).findFirst().orElseThrow();
        String primarySchool = DISTRICT.record(multi).orElseThrow().path("roles").path("student").path("school").asText();
        List<String>[] agnostic = new List[1];
        syncWith("", engine -> agnostic[0] = classes(engine.explain(multi).orElseThrow()), freshH2());
        syncWith("users.multi_school = PRIMARY_ONLY\n", engine -> {
            List<String> own = classes(engine.explain(multi).orElseThrow());
            assertThat(own).isNotEmpty().hasSizeLessThan(agnostic[0].size());
            for (String section : own) {
                assertThat(DISTRICT.record(section).orElseThrow().path("school").asText()).isEqualTo(primarySchool);
            }
        }, freshH2());
    }

    @Test
    void primaryClassRecordsADefaultClassAndDerivedGradesAreOfferedBesideTheSisGrade() throws Exception {
        String student = DISTRICT.idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0);
        String mismatched = DISTRICT.idsWith(Quirk.SECTION_GRADE_MISMATCH).get(0);
        syncWith("students.multi_class = PRIMARY\n", engine -> {
            Explanation e = engine.explain(student).orElseThrow();
            assertThat(e.provisioned().get("primary_class_id")).isIn(classes(e).toArray());
            Map<String, Object> section = engine.explain(mismatched).orElseThrow().provisioned();
            assertThat(section.get("derived_grade")).isNotNull().isNotEqualTo(section.get("grade"));
        }, freshH2());
        syncWith("", engine -> assertThat(engine.explain(student).orElseThrow().provisioned().get("primary_class_id"))
                .as("ALL: no default class").isNull(), freshH2());
    }

    @Test
    void separateAccountsGiveAMultiRoleUserOneAccountPerRole() throws Exception {
        String multi = DISTRICT.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF_ADMIN).get(0);
        syncWith("roles.precedence = SEPARATE_ACCOUNTS\n", engine -> {
            Explanation e = engine.explain(multi).orElseThrow();
            List<Map<String, Object>> accounts = (List<Map<String, Object>>) e.provisioned().get("accounts");
            assertThat(accounts).extracting(a -> a.get("role")).containsExactlyInAnyOrder("teacher", "staff", "district_admin");
        }, freshH2());
    }

    @Test
    void stagedSectionsLoadOnceAnAdminSelectsThem() throws Exception {
        List<String> sections = DISTRICT.idsWith(Quirk.SECTION_CO_TEACHERS);
        String chosen = sections.get(0);
        String waiting = DISTRICT.idsWith(Quirk.SECTION_SUBJECT_OTHER).stream().filter(id -> !id.equals(chosen)).findFirst().orElseThrow();
        StoreConfig db = freshH2();
        syncWith("sections.filter = STAGING\n", engine -> {
            assertThat(engine.explain(chosen).orElseThrow().decisions().get(0).rule()).isEqualTo("P22-STAGE-SECTION");
            engine.selectSections(List.of(chosen));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.selectSections(List.of("000000000000000000000000")))
                    .hasMessageContaining("no shared section");
        }, db);
        syncWith("sections.filter = STAGING\n", engine -> {
            assertThat(engine.explain(chosen).orElseThrow().outcome()).isEqualTo("PROVISIONED");
            assertThat(engine.explain(waiting).orElseThrow().outcome()).isEqualTo("SKIPPED");
            engine.unselectSections(List.of(chosen));
        }, db);
        syncWith("sections.filter = STAGING\n", engine -> {
            Explanation e = engine.explain(chosen).orElseThrow();
            assertThat(e.outcome()).isEqualTo("SKIPPED");
            assertThat(e.provisioned()).as("unselected: its class is deactivated, not deleted").containsEntry("active", false);
        }, db);
    }

    @Test
    void contactsAreProvisionedOnlyWhenEnabled() throws Exception {
        String contact = DISTRICT.idsWith(Quirk.CONTACT).get(0);
        syncWith("", engine -> assertThat(engine.explain(contact).orElseThrow().outcome()).isEqualTo("SKIPPED"), freshH2());
        syncWith("contacts.enabled = true\n", engine -> assertThat(engine.explain(contact).orElseThrow().effectiveRole()).isEqualTo("contact"), freshH2());
    }

    @Test
    void enabledSensitiveFieldsAreKeptAndTheOthersNeverEnterTheStore() throws Exception {
        String sensitive = DISTRICT.idsWith(Quirk.SENSITIVE_FIELDS).get(0);
        StoreConfig db = freshH2();
        syncWith("sensitive.fields = iep_status\n", engine -> { }, db);
        try (Store store = Store.open(db)) {
            String payload = store.read(s -> s.shadow().payload(DISTRICT.districtId(), RecordKind.USER, sensitive)).orElseThrow();
            assertThat(payload).contains("iep_status").doesNotContain("frl_status");
        }
    }
}
