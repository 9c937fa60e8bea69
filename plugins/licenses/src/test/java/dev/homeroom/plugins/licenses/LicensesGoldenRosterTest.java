package dev.homeroom.plugins.licenses;

import dev.homeroom.testkit.GoldenRoster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A partner's golden-roster test of the licenses plugin: Lincoln's roster and license file, every outcome in a golden file. */
class LicensesGoldenRosterTest {
    @Test
    void lincolnsLicenseFileDecidesItsStudents() {
        try (GoldenRoster roster = GoldenRoster.builder().plugin(new LicensesPlugin()).enableFor("licenses")
                .pluginSetting("licenses", "csv", "src/test/resources/lincoln-licenses.csv")
                .pluginSetting("licenses", "email_domain", "lincoln.example")
                .fixture(Path.of("src/test/resources/fixture-lincoln")).policy("school_year.end", "2027").sync()) {
            roster.user("5f00000000000000000b0072").isProvisioned().hasSupplemental("licenses", "license_code", "SCI-8-2027");
            roster.user("5f00000000000000000b0073").isSkippedBy("LICENSES-SKIP-EXPIRED");
            roster.user("5f00000000000000000b0074").hasFiller("email").hasValue("email", "s-74@lincoln.example");
            roster.user("5f00000000000000000b0075").isProvisioned().hasWarning("LICENSE_MISSING", "LICENSES-WARN-NO-LICENSE");
            roster.assertMatchesGolden(Path.of("src/test/resources/golden/lincoln.txt"));
        }
    }
}
