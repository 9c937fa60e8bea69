package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.Change;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictCounts;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole path, for real: the testkit's Clever simulator on loopback → the engine → H2 or PostgreSQL, with the
 * shipped rules. Checks exact fetched counts and the outcomes of the foundation's four rules (P1, P2, P5, P15), each with
 * a record where the rule fires and one where it does not.
 */
class SyncEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void syncsTheSimulatedDistrictAndDecidesEveryQuirk(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                     .store(db).discoverPlugins(false).pageLimit(100).build()) {

            SyncReport first = engine.sync(SyncMode.FULL);
            assertThat(first.status()).as(first.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            DistrictCounts expected = district.counts();
            for (String kind : List.of("users", "sections", "terms", "schools", "courses")) {
                assertThat(first.counts(kind).fetched()).as(kind + " fetched").isEqualTo(expected.of(kind));
            }
            assertThat(first.counts("users").created()).isPositive();

            // P1: a student and a teacher in no shared section are skipped; a student with sections is provisioned
            for (String id : district.idsWith(Quirk.STUDENT_NO_SECTIONS)) {
                Explanation e = engine.explain(id).orElseThrow();
                assertThat(e.outcome()).isEqualTo("SKIPPED");
                assertThat(e.decisions().get(0).rule()).isEqualTo("P1-SKIP-CLASSLESS-STUDENT");
                assertThat(e.provisioned()).isNull();
            }
            for (String id : district.idsWith(Quirk.TEACHER_NO_SECTIONS)) {
                assertThat(engine.explain(id).orElseThrow().decisions().get(0).rule()).isEqualTo("P1-SKIP-CLASSLESS-TEACHER");
            }
            String enrolled = district.idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0);
            Explanation student = engine.explain(enrolled).orElseThrow();
            assertThat(student.outcome()).isEqualTo("PROVISIONED");
            assertThat(student.effectiveRole()).isEqualTo("student");
            assertThat((List<?>) student.provisioned().get("classes")).hasSizeGreaterThan(1);
            assertThat(student.fillers()).isEmpty();

            // P2: one account with the highest role, all grants kept
            String admin = district.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF_ADMIN).get(0);
            Explanation multi = engine.explain(admin).orElseThrow();
            assertThat(multi.roles()).contains("teacher", "staff", "district_admin");
            assertThat(multi.effectiveRole()).isEqualTo("district_admin");
            assertThat(multi.provisioned()).containsEntry("role", "district_admin");
            assertThat((String) multi.provisioned().get("granted_roles")).contains("teacher", "staff", "district_admin");
            String teacherStaff = district.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF).get(0);
            assertThat(engine.explain(teacherStaff).orElseThrow().effectiveRole()).isEqualTo("staff");

            // P5: a student without dob gets a filler dob, marked as filler; one with a dob keeps it
            String noDob = district.idsWith(Quirk.STUDENT_MISSING_DOB).get(0);
            Explanation filled = engine.explain(noDob).orElseThrow();
            assertThat(filled.outcome()).isEqualTo("PROVISIONED");
            assertThat(filled.fillers()).extracting(Explanation.Field::field).contains("dob");
            assertThat(filled.provisioned()).containsEntry("dob_filler", true);
            assertThat(filled.provisioned().get("dob")).isNotNull();
            assertThat(student.provisioned()).containsEntry("dob_filler", false);

            // UTF-8 names survive byte for byte
            String utf8 = district.idsWith(Quirk.NAME_UTF8).get(0);
            String servedFirst = district.record(utf8).orElseThrow().path("name").path("first").asText();
            assertThat((String) engine.explain(utf8).orElseThrow().provisioned().get("first_name")).isEqualTo(servedFirst);

            // sensitive fields never enter the store
            String sensitive = district.idsWith(Quirk.SENSITIVE_FIELDS).get(0);
            try (Store store = Store.open(db)) {
                String payload = store.read(s -> s.shadow().payload(district.districtId(), RecordKind.USER, sensitive)).orElseThrow();
                assertThat(payload).doesNotContain("iep_status").doesNotContain("frl_status").doesNotContain("ell_status");
                JsonNode served = district.record(sensitive).orElseThrow();
                assertThat(served.toString()).contains("iep_status");
            }

            // re-running over the same data changes nothing
            SyncReport again = engine.sync(SyncMode.FULL);
            for (String kind : List.of("users", "sections", "terms", "schools", "courses")) {
                assertThat(again.counts(kind).created()).as(kind + " created again").isZero();
                assertThat(again.counts(kind).updated()).as(kind + " updated again").isZero();
                assertThat(again.counts(kind).deactivated()).as(kind + " deactivated again").isZero();
            }
            assertThat(again.counts("users").unchanged()).isEqualTo(first.counts("users").created());

            // P15: the next state deletes a term (and re-creates it under a new id); the old one is deactivated, never
            // deleted, and its sections stay active because Clever still shares them
            SyntheticDistrict next = district.next();
            sim.advanceTo(next);
            SyncReport second = engine.sync(SyncMode.FULL);
            assertThat(second.status()).as(second.failure() + " " + second.guard()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            String removedTerm = next.changes().get(Change.TERM_REMOVED).get(0);
            Explanation term = engine.explain(removedTerm).orElseThrow();
            assertThat(term.outcome()).isEqualTo("DEACTIVATED");
            assertThat(term.provisioned()).containsEntry("active", false);
            assertThat(term.history()).extracting(Explanation.HistoryEntry::outcome).containsExactly("PROVISIONED", "DEACTIVATED");
            String createdTerm = next.changes().get(Change.TERM_CREATED).get(0);
            assertThat(engine.explain(createdTerm).orElseThrow().outcome()).isEqualTo("PROVISIONED");
            assertThat(second.counts("terms").deactivated()).isEqualTo(1);

            // P17: a user who went away is deactivated, not deleted
            String removedUser = next.changes().get(Change.USER_REMOVED).get(0);
            Explanation gone = engine.explain(removedUser).orElseThrow();
            assertThat(gone.outcome()).isEqualTo("DEACTIVATED");
            assertThat(gone.provisioned()).isNotNull();
            assertThat(gone.provisioned()).containsEntry("active", false);
        }
    }
}
