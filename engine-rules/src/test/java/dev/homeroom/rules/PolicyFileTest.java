package dev.homeroom.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.spi.Policies;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
    static Policies parse(String text) {
        return PolicyFile.parse("policies.properties", new StringReader(text));
    }

    @Test
    void keysLeftOutTakeTheCatalogDefault() {
        Policies p = parse("classless.students = provision_limited\n");
        assertThat(p.get("classless.students")).isEqualTo("PROVISION_LIMITED");
        assertThat(p.get("classless.teachers")).isEqualTo("SKIP");
        assertThat(p.get("safety.max_deactivation_ratio")).isEqualTo("0.2");
        assertThat(p.asMap().keySet()).containsAll(PolicyCatalog.defaults().asMap().keySet());
    }

    @Test
    void anUnknownValueNamesFileKeyAndAllowedValuesOnOneLine() {
        assertThatThrownBy(() -> parse("classless.students = SKP\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policies.properties: unknown value 'SKP' for classless.students "
                        + "(allowed: SKIP, PROVISION_LIMITED, PROVISION_WITH_NOTICE)");
    }

    @Test
    void anUnknownKeySuggestsTheNearestKnownOne() {
        assertThatThrownBy(() -> parse("clasless.students = SKIP\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("policies.properties: unknown key 'clasless.students' (did you mean classless.students?)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void numbersAreChecked() {
        assertThatThrownBy(() -> parse("safety.max_deactivation_ratio = 1.5")).hasMessageContaining("a number from 0 to 1");
        assertThatThrownBy(() -> parse("safety.max_deactivation_ratio = NaN")).isInstanceOf(PolicyException.class);
        assertThatThrownBy(() -> parse("fields.max_length.name = -3")).hasMessageContaining("fields.max_length.name");
        assertThat(parse("fields.max_length.name = 50").getInt("fields.max_length.name", 0)).isEqualTo(50);
    }

    @Test
    void listsAcceptOnlyKnownItems() {
        assertThat(parse("sensitive.fields = IEP_STATUS, ell_status").get("sensitive.fields")).isEqualTo("iep_status,ell_status");
        assertThatThrownBy(() -> parse("sensitive.fields = iep_status, ssn"))
                .hasMessageContaining("unknown value 'iep_status, ssn' for sensitive.fields");
    }

    @Test
    void districtOverridesApplyToTheirDistrictOnly() {
        Policies p = parse("""
                classless.students = SKIP
                district.d1.classless.students = PROVISION_LIMITED
                district.d2.roles.precedence = LOWEST
                """);
        assertThat(p.forDistrict("d1").get("classless.students")).isEqualTo("PROVISION_LIMITED");
        assertThat(p.forDistrict("d1").get("roles.precedence")).isEqualTo("HIGHEST");
        assertThat(p.forDistrict("d1").asMap().keySet()).noneMatch(k -> k.startsWith("district."));
        assertThat(p.forDistrict("d3").get("classless.students")).isEqualTo("SKIP");
        assertThatThrownBy(() -> parse("district.d1.classless.students = NOPE"))
                .hasMessageContaining("unknown value 'NOPE' for classless.students");
        assertThatThrownBy(() -> parse("district.d1 = SKIP")).hasMessageContaining("district.<cleverDistrictId>.<policy key>");
    }

    @Test
    void subjectMapKeysTakeCleverSubjects() {
        assertThat(parse("section.subject.map.Algebra\\ I = Math").get("section.subject.map.Algebra I")).isEqualTo("math");
        assertThatThrownBy(() -> parse("section.subject.map.Algebra = maths")).hasMessageContaining("english/language arts");
    }

    @Test
    void overridesFromAPluginAreCheckedTheSameWay() {
        assertThat(PolicyFile.validateOverrides("plugin springfield", Map.of("contacts.enabled", "TRUE")))
                .containsEntry("contacts.enabled", "true");
        assertThatThrownBy(() -> PolicyFile.validateOverrides("plugin springfield", Map.of("contacts.enabled", "yes")))
                .hasMessage("plugin springfield: unknown value 'yes' for contacts.enabled (allowed: true, false)");
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("my-policies.properties");
        Files.writeString(f, "# comment\nroles.precedence = SEPARATE_ACCOUNTS\n");
        assertThat(PolicyFile.load(f).get("roles.precedence")).isEqualTo("SEPARATE_ACCOUNTS");
        Files.writeString(f, "roles.precedence = MIDDLE\n");
        assertThatThrownBy(() -> PolicyFile.load(f)).hasMessageStartingWith(f + ": unknown value 'MIDDLE' for roles.precedence");
        assertThatThrownBy(() -> PolicyFile.load(dir.resolve("none.properties"))).hasMessageContaining("not found");
    }

    @Test
    void everyPolicyOfPoliciesMdHasAKey() {
        for (int i = 1; i <= 23; i++) {
            String row = "P" + i;
            assertThat(PolicyCatalog.entries()).as(row).anyMatch(e -> e.policy().equals(row));
        }
        for (PolicyCatalog.Entry e : PolicyCatalog.entries()) {
            assertThat(PolicyCatalog.validate("catalog", e.key(), e.defaultValue())).as(e.key()).isEqualTo(e.defaultValue());
        }
    }
}
