package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Plan;
import dev.homeroom.engine.RecordChange;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.host.e2e.malformed.CleverStub;
import dev.homeroom.host.e2e.realdata.TinyDistrict;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 9 item 13: a plan says which records would change, with the rule and reason behind each, and applies nothing. */
class PlanChangesTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aPlanNamesEachRecordThatWouldChangeWithItsRuleAndReason(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        try (CleverStub clever = district.serve();
             SyncEngine engine = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN)
                     .store(TestDatabases.fresh(vendor)).discoverPlugins(false).build()) {
            engine.sync(SyncMode.FULL);
            TinyDistrict.roles(district.user("teacher-1")).clear();
            district.role("student-2", "student").put("grade", "6");
            district.update(clever);

            Plan plan = engine.plan(SyncMode.FULL, 10);
            assertThat(plan.changes()).containsExactly(
                    new RecordChange("user", "student-2", "UPDATED", "engine:default", "no rule decided against it"),
                    new RecordChange("user", "teacher-1", "DEACTIVATED", "P2-ERROR-NO-ROLE",
                            "the user holds no role the engine knows (student, teacher, staff, district_admin, contact); no account, an active one is deactivated"));
            assertThat(plan.changeCount()).isEqualTo(2);

            Plan firstOnly = engine.plan(SyncMode.FULL, 1);
            assertThat(firstOnly.changes()).hasSize(1);
            assertThat(firstOnly.notListed()).isEqualTo(1);
            assertThat(engine.explain("teacher-1").orElseThrow().outcome()).as("a plan applies nothing").isEqualTo("PROVISIONED");
        }
    }
}
