package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.Change;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A value a person edited is never overwritten by a sync (docs/POLICIES.md invariants, P6 and P10). */
class EditedValuesTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void editedDisplayNamesAndGraduationYearsSurviveLaterSyncs(Vendor vendor) {
        SyntheticDistrict district = SyntheticDistrict.demo();
        SyntheticDistrict next = district.next();
        String renamed = next.changes().get(Change.SECTION_RENAMED).get(0);
        String student = district.idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                     .store(TestDatabases.fresh(vendor)).discoverPlugins(false).build()) {
            engine.sync(SyncMode.FULL);
            String sisNameBefore = (String) engine.explain(renamed).orElseThrow().provisioned().get("name");

            engine.editClassDisplayName(renamed, "Mr. K's Mathletes");
            engine.editGraduationYear(student, "2040");

            sim.advanceTo(next);
            engine.sync(SyncMode.FULL);
            Map<String, Object> section = engine.explain(renamed).orElseThrow().provisioned();
            assertThat(section).containsEntry("display_name", "Mr. K's Mathletes").containsEntry("display_name_edited", true);
            assertThat(section.get("name")).as("the SIS name still follows Clever").isNotEqualTo(sisNameBefore);
            assertThat(engine.explain(student).orElseThrow().provisioned())
                    .containsEntry("graduation_year", "2040").containsEntry("graduation_year_edited", true);

            assertThatThrownBy(() -> engine.editGraduationYear(student, "next year")).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("four-digit");
            assertThatThrownBy(() -> engine.editClassDisplayName("000000000000000000000000", "x")).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("no provisioned section");
        }
    }
}
