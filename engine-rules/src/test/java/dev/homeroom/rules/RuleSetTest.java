package dev.homeroom.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.spi.Change;
import dev.homeroom.spi.Decision;
import dev.homeroom.spi.Name;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RuleFile;
import dev.homeroom.spi.User;
import dev.homeroom.spi.UserFact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetTest {
    static final String SKIP_CLASSLESS = """
            package test.rules;

            import dev.homeroom.spi.*;

            // why: test rule
            rule "T-SKIP skip a classless user"
                @id("T-SKIP")
            when
                Policies( is("classless.students", "SKIP") )
                $u : UserFact( sectionCount() == 0 )
            then
                insert(new Decision(RecordKind.USER, $u.id(), Outcome.SKIPPED, "T-SKIP", "no sections"));
            end
            """;

    static UserFact user(String id, int sections) {
        User u = new User(id, "d1", id + "@x.org", new Name("A", null, "B"), null, null,
                new User.Roles(null, new User.Teacher(null, null, "d1", Map.of(), null, null, null, null, List.of(), null, null, null, null), null, null, null));
        return new UserFact("d1", u, Change.UNCHANGED, null, 0, sections, List.of(), false, false);
    }

    @Test
    void evaluatesABatchAndReturnsOnlyWhatRulesInserted() {
        RuleSet rules = RuleSet.compile(List.of(new RuleFile("skip.drl", SKIP_CLASSLESS)));
        Policies skip = Policies.of(Map.of("classless.students", "SKIP"));
        Decisions d = rules.evaluate(List.of(user("a", 0), user("b", 3)), skip);
        assertThat(d.decisions()).containsExactly(new Decision(RecordKind.USER, "a", Outcome.SKIPPED, "T-SKIP", "no sections"));
        assertThat(d.outcomeOf(RecordKind.USER, "b")).isEqualTo(Outcome.PROVISIONED);

        Decisions none = rules.evaluate(List.of(user("a", 0)), Policies.of(Map.of("classless.students", "PROVISION_LIMITED")));
        assertThat(none.decisions()).isEmpty();
    }

    @Test
    void listsRulesByTheirIdMetadataAndFile() {
        RuleSet rules = RuleSet.compile(List.of(new RuleFile("dir/skip.drl", SKIP_CLASSLESS)));
        assertThat(rules.rules()).containsExactly(new RuleInfo("T-SKIP", "T-SKIP skip a classless user", "dir/skip.drl"));
    }

    @Test
    void aSyntaxErrorIsReportedWithFileLineAndColumn() {
        String broken = SKIP_CLASSLESS.replace("$u : UserFact( sectionCount() == 0 )", "$u : UserFact( sectionCount() == 0 ");
        List<RuleFile> files = List.of(new RuleFile("good.drl", SKIP_CLASSLESS.replace("T-SKIP", "T-OTHER").replace("test.rules", "test.other")),
                new RuleFile("team/broken.drl", broken));
        assertThatThrownBy(() -> RuleSet.compile(files))
                .isInstanceOfSatisfying(RulesException.class, e -> {
                    assertThat(e.code()).isEqualTo("HR-RULES-001");
                    assertThat(e.problems()).isNotEmpty();
                    RuleProblem first = e.problems().get(0);
                    org.slf4j.LoggerFactory.getLogger(RuleSetTest.class).info("reported: {}", first);
                    assertThat(first.file()).isEqualTo("team/broken.drl");
                    assertThat(first.line()).isBetween(10, 12);
                    assertThat(first.toString()).startsWith("team/broken.drl:" + first.line() + ":" + first.column() + ": ");
                    assertThat(e.getMessage()).doesNotContain("\n").contains("team/broken.drl:");
                });
    }

    @Test
    void anUnknownTypeIsReportedInItsFile() {
        String wrong = SKIP_CLASSLESS.replace("$u : UserFact(", "$u : UserFacts(");
        assertThatThrownBy(() -> RuleSet.compile(List.of(new RuleFile("typo.drl", wrong))))
                .isInstanceOfSatisfying(RulesException.class, e -> {
                    assertThat(e.problems()).extracting(RuleProblem::file).contains("typo.drl");
                    assertThat(e.problems().get(0).line()).as("line of the UserFacts pattern").isEqualTo(10);
                });
    }

    @Test
    void contentHashDependsOnNamesAndContentNotOrder() {
        RuleFile a = new RuleFile("a.drl", "x");
        RuleFile b = new RuleFile("b.drl", "y");
        assertThat(RuleSet.contentHash(List.of(a, b))).isEqualTo(RuleSet.contentHash(List.of(b, a))).hasSize(64);
        assertThat(RuleSet.contentHash(List.of(a, b))).isNotEqualTo(RuleSet.contentHash(List.of(a, new RuleFile("b.drl", "y "))));
        assertThat(RuleSet.contentHash(List.of(a))).isNotEqualTo(RuleSet.contentHash(List.of(new RuleFile("c.drl", "x"))));
        RuleSet compiled = RuleSet.compile(List.of(new RuleFile("skip.drl", SKIP_CLASSLESS)));
        assertThat(compiled.contentHash()).isEqualTo(RuleSet.contentHash(List.of(new RuleFile("skip.drl", SKIP_CLASSLESS))));
    }

    @Test
    void aRuleThatThrowsOnOneFactMakesThatFactAnErrorAndDecidesTheOthers() {
        String throwing = """
                package test.rules;
                import dev.homeroom.spi.*;
                // why: test
                rule "T-THROW fails on one id"
                    @id("T-THROW")
                when
                    $u : UserFact( )
                then
                    if ($u.id().equals("bad")) { throw new IllegalStateException("boom"); }
                    insert(new Decision(RecordKind.USER, $u.id(), Outcome.SKIPPED, "T-THROW", "ok"));
                end
                """;
        RuleSet rules = RuleSet.compile(List.of(new RuleFile("throw.drl", throwing)));
        List<Object> facts = new ArrayList<>(List.of(user("a", 1), user("bad", 1), user("c", 1)));
        facts.add(null);
        Decisions d = rules.evaluate(facts, Policies.of(Map.of()));
        assertThat(d.outcomeOf(RecordKind.USER, "a")).isEqualTo(Outcome.SKIPPED);
        assertThat(d.outcomeOf(RecordKind.USER, "c")).isEqualTo(Outcome.SKIPPED);
        assertThat(d.winning(RecordKind.USER, "bad")).get()
                .satisfies(x -> {
                    assertThat(x.outcome()).isEqualTo(Outcome.ERROR);
                    assertThat(x.ruleId()).isEqualTo("engine:rule-error");
                    assertThat(x.reason()).contains("boom");
                });
    }

    @Test
    void readsRuleFilesFromADirectorySortedWithRelativeNames(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("team"));
        Files.writeString(dir.resolve("team/b.drl"), SKIP_CLASSLESS);
        Files.writeString(dir.resolve("a.drl"), "package x;");
        Files.writeString(dir.resolve("notes.txt"), "not a rule");
        assertThat(RuleFiles.fromDirectory(dir)).extracting(RuleFile::name).containsExactly("a.drl", "team/b.drl");
    }

    @Test
    void aMissingRulesDirectoryIsAOneLineError(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> RuleFiles.fromDirectory(missing))
                .isInstanceOf(RulesException.class)
                .hasMessage("rules directory not found: " + missing.toAbsolutePath());
    }

    @Test
    void defaultsWithoutTheRulesJarSayWhatToAdd() {
        assertThatThrownBy(RuleFiles::defaults).isInstanceOf(RulesException.class).hasMessageContaining("dev.homeroom:rules");
    }
}
