package dev.homeroom.plugins.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.homeroom.spi.SupplementalRows;
import dev.homeroom.testkit.GoldenRoster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The licenses plugin's parts: its CSV reading, its districts only, and what its golden roster says when an outcome changes. */
class LicensesPluginTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixture-lincoln");
    private static final Path GOLDEN = Path.of("src/test/resources/golden/lincoln.txt");
    private static final String NOAH = "5f00000000000000000b0073";

    @TempDir
    Path dir;

    @Test
    void aChangedOutcomeFailsTheGoldenRosterWithADiffOfThatRecord() throws IOException {
        assumeFalse(Boolean.getBoolean(GoldenRoster.UPDATE_PROPERTY), "rewriting golden files: this roster is not the golden one");
        assertThat(GOLDEN).as("the committed golden file").exists();
        Path renewed = dir.resolve("renewed.csv");
        Files.writeString(renewed, Files.readString(Path.of("src/test/resources/lincoln-licenses.csv"))
                .replace("S-73,SCI-8-2025,2020-06-30", "S-73,SCI-8-2025,2099-06-30"));
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new LicensesPlugin()).enableFor("licenses")
                .pluginSetting("licenses", "csv", renewed.toString()).pluginSetting("licenses", "email_domain", "lincoln.example")
                .fixture(FIXTURE).policy("school_year.end", "2027").sync()) {
            roster.user(NOAH).isProvisioned().hasSupplemental("licenses", "license_code", "SCI-8-2025");
            assertThatThrownBy(() -> roster.assertMatchesGolden(GOLDEN)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the roster differs from golden file " + GOLDEN)
                    .hasMessageContaining("@@ user " + NOAH)
                    .hasMessageContaining("- user " + NOAH + " SKIPPED")
                    .hasMessageContaining("+ user " + NOAH + " PROVISIONED")
                    .hasMessageContaining("-   rule LICENSES-SKIP-EXPIRED SKIPPED: license SCI-8-2025 expired on 2020-06-30")
                    .hasMessageContaining("1 record differs")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("@@ user 5f00000000000000000b0072"));
        }
    }

    @Test
    void aDistrictItIsNotEnabledForKeepsItsDefaults() {
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new LicensesPlugin()).fixture(FIXTURE).sync()) {
            roster.user(NOAH).isProvisioned().hasSupplemental("licenses", "license_code", null).hasNoWarning("LICENSE_MISSING");
            roster.user("5f00000000000000000b0074").hasValue("email", null);
        }
    }

    @Test
    void enabledWithoutALicenseFileItIsRefusedWithWhatToSet() {
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new LicensesPlugin()).enableFor("licenses").fixture(FIXTURE).sync()) {
            assertThat(roster.report().refusedPlugins()).singleElement().asString().startsWith("HR-PLUGIN-003 plugin 'licenses'")
                    .contains("HR-CONFIG-100").contains("set --plugin-setting licenses.csv=PATH");
            assertThat(roster.report().failure()).as("its district is not synced without it").contains("HR-PLUGIN-003");
        }
    }

    @Test
    void readsQuotedCellsAndReportsLinesThatDoNotFit() throws IOException {
        Rows rows = read("sis_id,license_code,expires,product\n"
                + "S-1,\"MATH, 7\",2099-01-31,\"Math \"\"Plus\"\"\"\n"
                + "S-2,READ-3\n"
                + "S-3,READ-3,next june,Reading\n"
                + "S-4,\"READ-3,2099-01-31,Reading\n"
                + "\n"
                + "S-5,READ-3,,Reading\n");
        assertThat(rows.rows).containsExactly("S-1 " + Map.of("license_code", "MATH, 7", "expires", "2099-01-31", "product", "Math \"Plus\""),
                "S-5 " + Map.of("license_code", "READ-3", "expires", "", "product", "Reading"));
        assertThat(rows.problems).containsExactly("line 3: 2 columns, expected 4 (sis_id,license_code,expires,product)",
                "line 4: expires 'next june' is not a date (YYYY-MM-DD)", "line 5: an unclosed quote, expected 4 (sis_id,license_code,expires,product)");
    }

    @Test
    void aFileWithoutTheKeyColumnCannotBeRead() {
        assertThatThrownBy(() -> read("student,license_code\nS-1,MATH\n")).isInstanceOf(IOException.class).hasMessageContaining("lacks sis_id");
        assertThatThrownBy(() -> read("")).isInstanceOf(IOException.class).hasMessageContaining("empty");
    }

    private static Rows read(String csv) throws IOException {
        Rows rows = new Rows();
        LicenseCsv.read(new BufferedReader(new StringReader(csv)), rows);
        return rows;
    }

    private static final class Rows implements SupplementalRows {
        final List<String> rows = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        @Override
        public void row(String key, Map<String, String> values) {
            rows.add(key + " " + Map.copyOf(values));
        }

        @Override
        public void problem(String where, String message) {
            problems.add(where + ": " + message);
        }
    }
}
