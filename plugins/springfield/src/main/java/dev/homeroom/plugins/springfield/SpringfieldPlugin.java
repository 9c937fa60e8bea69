package dev.homeroom.plugins.springfield;

import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.RecordTransformer;
import dev.homeroom.spi.RuleFile;
import dev.homeroom.spi.SpiVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The example district plugin: Springfield's SIS exports section names as {@code "MATH 7 - SMITH - P3"}; this plugin
 * tidies them into {@code "Math 7"} as they are fetched ({@link SectionNameCleaner}) and adds one rule of its own,
 * {@code SPRINGFIELD-WARN-SECTION-NO-PERIOD}, because a cleaned name no longer says which period a class meets.
 *
 * <p>It applies only to the districts the host lists in its setting {@code districts} (comma-separated Clever district
 * ids: {@code SyncEngine.builder().pluginSetting("springfield", "districts", id)}, or on the command line
 * {@code --plugin-setting springfield.districts=ID}); without that setting it applies to no district. A plugin that
 * rewrites records must never reach a district nobody told it about: the demo enables it for its own district.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SpringfieldPlugin implements DistrictPlugin {
    public static final String NAME = "springfield";
    /** The setting that names the districts this plugin applies to. */
    public static final String DISTRICTS_SETTING = "districts";
    static final String RULE_FILE = "/springfield/section-periods.drl";

    private static final RecordTransformer SECTION_NAMES = new SectionNameCleaner();

    /** Empty: no district. Written once by {@link #configure}, before the engine asks {@link #appliesTo}. */
    private volatile Set<String> districts = Set.of();

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
        String listed = context.settings().getOrDefault(DISTRICTS_SETTING, "");
        districts = Arrays.stream(listed.split(",")).map(String::strip).filter(id -> !id.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public boolean appliesTo(String districtId) {
        return districts.contains(districtId);
    }

    @Override
    public List<RecordTransformer> recordTransformers() {
        return List.of(SECTION_NAMES);
    }

    @Override
    public List<RuleFile> ruleFiles() {
        return List.of(RuleFile.fromResource(SpringfieldPlugin.class, RULE_FILE));
    }

    // Policy overrides replace the policies file's values for this plugin's districts. Springfield keeps the defaults;
    // a district whose SIS sends no birthdays at all could, for example, turn the filler-dob warnings off:
    //
    //   @Override
    //   public Map<String, String> policyOverrides() {
    //       return Map.of("student.dob.missing", "IGNORE");
    //   }
}
