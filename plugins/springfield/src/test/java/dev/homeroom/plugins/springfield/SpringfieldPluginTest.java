package dev.homeroom.plugins.springfield;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.RuleFile;
import dev.homeroom.spi.SpiVersion;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SpringfieldPluginTest {

    @Test
    void isRegisteredForServiceLoader() {
        assertThat(ServiceLoader.load(DistrictPlugin.class).stream().map(ServiceLoader.Provider::type))
                .contains(SpringfieldPlugin.class);
    }

    @Test
    void declaresItsNameAndTheSpiItWasBuiltFor() {
        SpringfieldPlugin plugin = new SpringfieldPlugin();
        assertThat(plugin.name()).isEqualTo("springfield");
        assertThat(plugin.spiVersion()).isEqualTo(SpiVersion.CURRENT);
        assertThat(SpiVersion.isCompatible(plugin.spiVersion())).isTrue();
        assertThat(plugin.policyOverrides()).isEmpty();
    }

    @Test
    void appliesOnlyToTheDistrictsItsSettingLists() {
        SpringfieldPlugin plugin = new SpringfieldPlugin();
        assertThat(plugin.appliesTo("any-generated-id")).as("before configure").isFalse();
        plugin.configure(new PluginContext() { });
        assertThat(plugin.appliesTo("any-generated-id")).as("no districts setting").isFalse();

        plugin.configure(settings(" d-1 , d-2,, "));
        assertThat(plugin.appliesTo("d-1")).isTrue();
        assertThat(plugin.appliesTo("d-2")).isTrue();
        assertThat(plugin.appliesTo("d-3")).isFalse();

        plugin.configure(settings("  "));
        assertThat(plugin.appliesTo("d-1")).isFalse();
    }

    @Test
    void transformsSectionNames() {
        var transformers = new SpringfieldPlugin().recordTransformers();
        assertThat(transformers).hasSize(1);
        assertThat(transformers.get(0).transformSection(SectionNameCleanerTest.section("MATH 7 - SMITH - P3")).name())
                .isEqualTo("Math 7");
    }

    @Test
    void shipsItsRuleFileWithAnIdAndAReasonForEveryRule() {
        List<RuleFile> files = new SpringfieldPlugin().ruleFiles();
        assertThat(files).extracting(RuleFile::name).containsExactly("springfield/section-periods.drl");
        String drl = files.get(0).content();
        assertThat(drl).startsWith("package ");

        Matcher rules = Pattern.compile("(?m)^(// why: .+\\n)?rule \"(\\S+) [^\"]+\"\\n\\s+@id\\(\"(\\S+)\"\\)").matcher(drl);
        int count = 0;
        while (rules.find()) {
            count++;
            assertThat(rules.group(1)).as("why comment of " + rules.group(2)).isNotBlank();
            assertThat(rules.group(3)).as("@id of " + rules.group(2)).isEqualTo(rules.group(2));
        }
        assertThat(count).isEqualTo(drl.split("(?m)^rule ", -1).length - 1).isEqualTo(1);
        assertThat(drl).contains("@id(\"SPRINGFIELD-WARN-SECTION-NO-PERIOD\")").contains("new DataWarning(");
    }

    private static PluginContext settings(String districts) {
        return new PluginContext() {
            @Override
            public Map<String, String> settings() {
                return Map.of(SpringfieldPlugin.DISTRICTS_SETTING, districts);
            }
        };
    }
}
