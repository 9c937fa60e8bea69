package dev.homeroom.plugins.springfield;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.GoldenRoster;
import dev.homeroom.testkit.Quirk;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Springfield plugin synced by the real engine on in-memory H2, as a partner tests a plugin: a fixture of
 * Springfield's SIS export (JSON in Clever's shape), the simulator with a seed, and golden files of every outcome.
 * The plugin applies only where its {@code districts} setting says ({@code enableFor}); school_year.end is pinned so
 * inferred graduation years and filler birthdays do not move with the calendar.
 */
class SpringfieldGoldenRosterTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixture-springfield");
    private static final String P3 = "5f00000000000000000a0051";
    private static final String NO_PERIOD = "5f00000000000000000a0052";
    private static final String RULE = "SPRINGFIELD-WARN-SECTION-NO-PERIOD";

    @Test
    void cleansSisSectionNamesAndWarnsWhereThePeriodIsMissing() {
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new SpringfieldPlugin()).enableFor("springfield")
                .fixture(FIXTURE).policy("school_year.end", "2027").sync()) {
            roster.section(P3).isProvisioned().hasValue("name", "Math 7").hasValue("period", "3").hasNoWarning("SECTION_PERIOD_MISSING");
            roster.section(NO_PERIOD).isProvisioned().hasValue("name", "Math 7").hasWarning("SECTION_PERIOD_MISSING", RULE);
            roster.user("5f00000000000000000b0053").isProvisioned().hasFiller("dob");
            roster.user("5f00000000000000000b0054").isSkippedBy("P1-SKIP-CLASSLESS-STUDENT");
            roster.assertMatchesGolden(Path.of("src/test/resources/golden/springfield-fixture.txt"));
        }
    }

    @Test
    void changesNothingInADistrictItIsNotEnabledFor() {
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new SpringfieldPlugin()).fixture(FIXTURE).sync()) {
            roster.section(P3).hasValue("name", "MATH 7 - SMITH - P3");
            roster.section(NO_PERIOD).hasNoWarning("SECTION_PERIOD_MISSING");
            assertThat(roster.report().loadedPlugins()).anySatisfy(l -> assertThat(l).startsWith("springfield "));
        }
    }

    @Test
    void theSimulatedDistrictWithSeed42MatchesItsGoldenRoster() {
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new SpringfieldPlugin()).enableFor("springfield")
                .simulator(DistrictSpec.builder().students(40).schools(1).seed(42).build()).policy("school_year.end", "2027").sync()) {
            String id = roster.district().idsWith(Quirk.SECTION_GRADE_MISMATCH).get(0);
            String served = roster.district().record(id).orElseThrow().path("name").asText();
            roster.section(id).isProvisioned().hasValue("name", served.substring(0, served.indexOf(" - ")));
            roster.assertMatchesGolden(Path.of("src/test/resources/golden/springfield-seed-42.txt"));
        }
    }
}
