package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.RecordTransformer;
import dev.homeroom.spi.Course;
import dev.homeroom.spi.SpiVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenRosterTest {
    private static final Path FIXTURE = Path.of("src/test/resources/golden-fixture");
    private static final String SECTION = "5f0000000000000000000a01";
    private static final String IN_CLASS = "5f0000000000000000000b11";
    private static final String CLASSLESS = "5f0000000000000000000b12";

    @TempDir
    Path tmp;

    @Test
    void aJsonFixtureSyncsWithThePluginAndTheRecordsCanBeAsserted() {
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new Shouting()).enableFor("shouting").fixture(FIXTURE).sync()) {
            assertThat(roster.districtId()).isEqualTo("5f0000000000000000000d01");
            assertThat(roster.report().loadedPlugins()).singleElement().asString().startsWith("shouting ");
            roster.user(CLASSLESS).isSkippedBy("P1-SKIP-CLASSLESS-STUDENT");
            roster.user(IN_CLASS).isProvisioned().hasValue("email", "sam@goldenvalley.example");
            roster.section(SECTION).isProvisioned().hasWarning("SECTION_NAME_MISSING", "P10-GENERATE-DISPLAY-NAME")
                    .hasValue("display_name", "MATH 7 - Rivera - Period 3");
            assertThat(roster.ids("users")).containsExactly("5f0000000000000000000b01", IN_CLASS, CLASSLESS);
            assertThat(roster.decidedBy("users", "SKIPPED", "P1-SKIP-CLASSLESS-STUDENT")).containsExactly(CLASSLESS);

            assertThatThrownBy(() -> roster.user(CLASSLESS).isProvisioned()).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("user " + CLASSLESS + ": expected PROVISIONED, was SKIPPED by P1-SKIP-CLASSLESS-STUDENT");
            assertThatThrownBy(() -> roster.section(SECTION).hasValue("display_name", "Math 7")).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("expected display_name = Math 7, was MATH 7 - Rivera - Period 3");
            assertThatThrownBy(() -> roster.user(SECTION)).isInstanceOf(AssertionError.class).hasMessageContaining("is a section, not a user");
        }
    }

    @Test
    void withoutEnablingItThePluginChangesNothing() {
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new Shouting()).fixture(FIXTURE).sync()) {
            roster.section(SECTION).hasValue("display_name", "Math 7 - Rivera - Period 3");
        }
    }

    @Test
    void aGoldenFileIsWrittenOnceThenComparedWithAReadableDiff() throws IOException {
        Path golden = tmp.resolve("golden/valley.txt");
        try (GoldenRoster roster = GoldenRoster.builder().fixture(FIXTURE).policy("school_year.end", "2027").sync()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                // under CI a missing golden file is an error, not written: say so, then write it as -D…update=true would
                assertThatThrownBy(() -> roster.assertMatchesGolden(golden)).isInstanceOf(AssertionError.class)
                        .hasMessageContaining("is missing (CI=true: not written)");
                System.setProperty(GoldenRoster.UPDATE_PROPERTY, "true");
                try {
                    roster.assertMatchesGolden(golden);
                } finally {
                    System.clearProperty(GoldenRoster.UPDATE_PROPERTY);
                }
            } else {
                roster.assertMatchesGolden(golden);
            }
            assertThat(golden).exists();
            roster.assertMatchesGolden(golden); // the same outcomes: passes
        }
        String text = Files.readString(golden);
        assertThat(text).contains("user " + CLASSLESS + " SKIPPED\n", "  rule P1-SKIP-CLASSLESS-STUDENT SKIPPED: ",
                "section " + SECTION + " PROVISIONED\n", "  value display_name = Math 7 - Rivera - Period 3\n");

        // the classless students now get a limited account: the golden file no longer holds
        try (GoldenRoster roster = GoldenRoster.builder().fixture(FIXTURE).policy("school_year.end", "2027")
                .policy("classless.students", "PROVISION_LIMITED").sync()) {
            assertThatThrownBy(() -> roster.assertMatchesGolden(golden)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("@@ user " + CLASSLESS)
                    .hasMessageContaining("- user " + CLASSLESS + " SKIPPED")
                    .hasMessageContaining("+ user " + CLASSLESS + " PROVISIONED")
                    .hasMessageContaining("1 record differs")
                    .hasMessageContaining("-Dhomeroom.golden.update=true");
        }
    }

    @Test
    void theSimulatorWithASeedIsAFixtureToo() {
        try (GoldenRoster roster = GoldenRoster.builder().simulator(DistrictSpec.builder().students(40).schools(1).seed(7).build()).sync()) {
            List<String> classless = roster.district().idsWith(Quirk.STUDENT_NO_SECTIONS);
            assertThat(classless).isNotEmpty();
            classless.forEach(id -> roster.user(id).isSkippedBy("P1-SKIP-CLASSLESS-STUDENT"));
            assertThat(roster.ids("users")).hasSize((int) roster.district().counts().of("users"));
        }
    }

    /** Upper-cases course names of the districts it is enabled for. */
    static final class Shouting implements DistrictPlugin {
        private volatile List<String> districts = List.of();

        @Override public String name() { return "shouting"; }
        @Override public String spiVersion() { return SpiVersion.CURRENT; }

        @Override
        public void configure(dev.homeroom.spi.PluginContext context) {
            districts = List.of(context.settings().getOrDefault("districts", "").split(","));
        }

        @Override public boolean appliesTo(String districtId) { return districts.contains(districtId); }

        @Override
        public List<RecordTransformer> recordTransformers() {
            return List.of(new RecordTransformer() {
                @Override
                public Course transformCourse(Course c) {
                    return new Course(c.id(), c.district(), c.name().toUpperCase(java.util.Locale.ROOT), c.number());
                }
            });
        }
    }
}
