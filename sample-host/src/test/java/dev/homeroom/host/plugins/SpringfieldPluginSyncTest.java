package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.RecordTransformer;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.SpiVersion;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The springfield plugin as a host gets it: found by ServiceLoader on the class path (it is a dependency of the sample
 * host), its transformer's names reach the provisioned classes, and its rule's warning reaches explain and the run's
 * warnings. The simulator's sections all carry a period, so a host-registered fixture plays a Springfield SIS export that
 * lost the period of one section.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringfieldPluginSyncTest {
    private static final String RULE = "SPRINGFIELD-WARN-SECTION-NO-PERIOD";

    private final SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(120).schools(3).build());
    private final String withoutPeriod = district.idsWith(Quirk.SECTION_SUBJECT_OTHER).get(0);
    private CleverSimulator sim;
    private SyncEngine engine;
    private SyncReport report;

    @BeforeAll
    void syncOnce() {
        sim = CleverSimulator.builder().district(district).build().start();
        engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token())
                .store(StoreConfig.h2Memory("springfield" + UUID.randomUUID().toString().replace("-", "")))
                .plugin(new SisWithoutPeriod(withoutPeriod))
                .pluginSetting("springfield", "districts", district.districtId())
                .build();
        report = engine.sync(SyncMode.FULL);
        assertThat(report.status()).as(report.failure()).isEqualTo(SyncStatus.SUCCEEDED_WITH_WARNINGS);
    }

    @AfterAll
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void isFoundOnTheClassPath() {
        assertThat(engine.pluginNames()).contains("springfield", "sis-without-period");
        assertThat(engine.refusedPlugins()).isEmpty();
    }

    @Test
    void provisionsClassesUnderTheCleanedName() {
        for (String id : district.idsWith(Quirk.SECTION_GRADE_MISMATCH)) {
            String served = district.record(id).orElseThrow().path("name").asText();
            String teacherAndPeriod = served.substring(served.indexOf(" - "));
            assertThat(teacherAndPeriod).as("the simulator's SIS name " + served).matches(" - .+ - \\d");

            Explanation section = engine.explain(id).orElseThrow();
            assertThat(section.outcome()).isEqualTo("PROVISIONED");
            assertThat(section.provisioned())
                    .containsEntry("name", served.substring(0, served.indexOf(" - ")))
                    .containsEntry("period", district.record(id).orElseThrow().path("period").asText());
        }
    }

    @Test
    void leavesSectionsWithoutANameToTheDefaultRules() {
        String noName = district.idsWith(Quirk.SECTION_NO_NAME).get(0);
        Explanation section = engine.explain(noName).orElseThrow();
        assertThat(section.cleaned()).extracting(Explanation.Field::rule).contains("P10-GENERATE-DISPLAY-NAME");
        assertThat((String) section.provisioned().get("display_name")).isNotBlank();
    }

    @Test
    void warnsAboutASectionWithoutAPeriodAndOnlyAboutThatOne() {
        Explanation section = engine.explain(withoutPeriod).orElseThrow();
        assertThat(section.outcome()).isEqualTo("PROVISIONED");
        assertThat(section.warnings()).extracting(Explanation.Warning::rule, Explanation.Warning::code, Explanation.Warning::field)
                .contains(org.assertj.core.groups.Tuple.tuple(RULE, "SECTION_PERIOD_MISSING", "period"));

        List<DataIssue> issues = engine.warnings(report.runId(), 10_000);
        assertThat(issues).filteredOn(i -> RULE.equals(i.rule()))
                .extracting(DataIssue::kind, DataIssue::cleverId, DataIssue::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("section", withoutPeriod, "SECTION_PERIOD_MISSING"));

        String withPeriod = district.idsWith(Quirk.SECTION_GRADE_MISMATCH).get(0);
        assertThat(engine.explain(withPeriod).orElseThrow().warnings()).extracting(Explanation.Warning::rule).doesNotContain(RULE);
    }

    /** Stands for a district SIS export in which one section lost its period. */
    private record SisWithoutPeriod(String sectionId) implements DistrictPlugin {
        @Override
        public String name() {
            return "sis-without-period";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public List<RecordTransformer> recordTransformers() {
            return List.of(new RecordTransformer() {
                @Override
                public Section transformSection(Section s) {
                    return !s.id().equals(sectionId) ? s : new Section(s.id(), s.district(), s.name(), s.created(), s.lastModified(),
                            s.course(), s.grade(), null, s.school(), s.sectionNumber(), s.sisId(), s.students(), s.subject(),
                            s.teacher(), s.teachers(), s.termId(), s.ext());
                }
            });
        }
    }
}
