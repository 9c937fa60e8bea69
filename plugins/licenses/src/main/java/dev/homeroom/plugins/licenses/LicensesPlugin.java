package dev.homeroom.plugins.licenses;

import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.FillerProvider;
import dev.homeroom.spi.HomeroomException;
import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.RuleFile;
import dev.homeroom.spi.SpiVersion;
import dev.homeroom.spi.SupplementalSource;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The second example district plugin: a district's product license codes, which Clever does not carry, from the CSV file
 * its {@code csv} setting names ({@code sis_id,license_code,expires}, joined to students by SIS id: {@link LicenseCsv}).
 * The codes reach the accounts' {@code supplemental} column and {@code explain}; its rules
 * ({@code licenses/licenses.drl}) skip a student whose license expired and warn about a student without one; and, when the
 * {@code email_domain} setting is given, a user Clever sends without an email gets {@code SIS_ID@DOMAIN} as a filler
 * ({@link SisEmailFiller}), the address the district's product logins use.
 *
 * <p>It applies only to the districts its {@code districts} setting lists ({@code --plugin-setting
 * licenses.districts=ID --plugin-setting licenses.csv=/path/licenses.csv}); without it, to none.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class LicensesPlugin implements DistrictPlugin {
    public static final String NAME = "licenses";
    public static final String DISTRICTS_SETTING = "districts";
    public static final String CSV_SETTING = "csv";
    public static final String EMAIL_DOMAIN_SETTING = "email_domain";

    private volatile Set<String> districts = Set.of();
    private volatile String emailDomain;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public void configure(PluginContext context) {
        districts = Arrays.stream(context.settings().getOrDefault(DISTRICTS_SETTING, "").split(",")).map(String::strip)
                .filter(id -> !id.isEmpty()).collect(Collectors.toUnmodifiableSet());
        String csv = context.settings().get(CSV_SETTING);
        if (!districts.isEmpty() && (csv == null || csv.isBlank())) {
            throw new HomeroomException("HR-CONFIG-100", "the licenses plugin is enabled for " + districts + " but has no license file:"
                    + " set --plugin-setting licenses.csv=PATH (or pluginSetting(\"licenses\", \"csv\", path))", false, null);
        }
        String domain = context.settings().get(EMAIL_DOMAIN_SETTING);
        emailDomain = domain == null || domain.isBlank() ? null : domain.strip();
    }

    @Override
    public boolean appliesTo(String districtId) {
        return districts.contains(districtId);
    }

    @Override
    public List<SupplementalSource> supplementalSources() {
        return List.of(new LicenseCsv());
    }

    @Override
    public List<FillerProvider> fillerProviders() {
        return emailDomain == null ? List.of() : List.of(new SisEmailFiller(emailDomain));
    }

    @Override
    public List<RuleFile> ruleFiles() {
        return List.of(RuleFile.fromResource(LicensesPlugin.class, "/licenses/licenses.drl"));
    }
}
