package dev.homeroom.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.spi.RuleFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioRunnerTest {
    static final RuleSet RULES = RuleSet.compile(List.of(new RuleFile("skip.drl", RuleSetTest.SKIP_CLASSLESS)));

    static ScenarioResult run(String text) {
        return ScenarioRunner.run(RULES, PolicyCatalog.defaults(), "t.scenario", text);
    }

    @Test
    void passesWhenExpectationsHold() {
        ScenarioResult r = run("""
                scenario: skip
                user a roles=teacher teacher_sections=0
                user b roles=teacher
                expect user a outcome=SKIPPED rule=T-SKIP
                expect user b outcome=PROVISIONED not-rule=T-SKIP decisions=none
                """);
        assertThat(r.failures()).isEmpty();
        assertThat(r.passed()).isTrue();
        assertThat(r.name()).isEqualTo("skip");
    }

    @Test
    void failsWithFileLineAndWhatHappened() {
        ScenarioResult r = run("""
                policy classless.students = PROVISION_LIMITED
                user a roles=teacher teacher_sections=0
                expect user a outcome=SKIPPED
                expect user a not-rule=T-SKIP warning=X
                """);
        assertThat(r.passed()).isFalse();
        assertThat(r.failures()).containsExactly(
                "t.scenario:3: outcome=SKIPPED for user a: was PROVISIONED (no rule decided it: engine default)",
                "t.scenario:4: warning=X for user a: warnings were []");
    }

    @Test
    void badLinesAreReportedWithFileAndLine() {
        assertThatThrownBy(() -> run("user a colour=red\nexpect user a outcome=SKIPPED"))
                .isInstanceOf(RulesException.class).hasMessageStartingWith("t.scenario:1: unknown user field 'colour'");
        assertThatThrownBy(() -> run("policy classless.students = NOPE\nexpect user a outcome=SKIPPED"))
                .hasMessageContaining("t.scenario:1: unknown value 'NOPE' for classless.students");
        assertThatThrownBy(() -> run("user a\nexpect user a outcome=MAYBE")).hasMessageContaining("t.scenario:2: unknown outcome 'MAYBE'");
        assertThatThrownBy(() -> run("user a roles=wizard\nexpect user a outcome=SKIPPED")).hasMessageContaining("unknown role 'wizard'");
        assertThatThrownBy(() -> run("user a\n")).hasMessageContaining("no expect line");
    }

    @Test
    void quotedValuesEscapesAndRepeat() {
        ScenarioResult r = run("""
                user a roles=teacher teacher_sections=0 first="Ana \\"Mari\\" \\u00f1" last=repeat:3:ab
                expect user a rule=T-SKIP
                """);
        assertThat(r.passed()).isTrue();
    }

    @Test
    void aRuleIdWithoutAMatchingIdMetadataIsAFailure() {
        RuleSet typo = RuleSet.compile(List.of(new RuleFile("typo.drl",
                RuleSetTest.SKIP_CLASSLESS.replace("\"T-SKIP\", \"no sections\"", "\"T-SKIPP\", \"no sections\""))));
        ScenarioResult r = ScenarioRunner.run(typo, PolicyCatalog.defaults(), "t.scenario",
                "user a roles=teacher teacher_sections=0\nexpect user a outcome=SKIPPED");
        assertThat(r.failures()).anyMatch(f -> f.contains("T-SKIPP"));
    }
}
