package dev.homeroom.rules.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.rules.PolicyCatalog;
import dev.homeroom.rules.PolicyFile;
import dev.homeroom.rules.RuleFiles;
import dev.homeroom.rules.RuleInfo;
import dev.homeroom.rules.RuleSet;
import dev.homeroom.rules.ScenarioResult;
import dev.homeroom.rules.ScenarioRunner;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RuleFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The shipped rule set: it compiles, its index and policies file are in step, and every scenario passes. */
class DefaultRulesTest {
    static final Path RULES_DIR = Path.of("src/main/resources/homeroom/rules");
    static final Path SCENARIOS = Path.of("src/test/scenarios");
    static RuleSet rules;
    static Policies policies;

    @BeforeAll
    static void compile() {
        rules = RuleSet.compile(RuleFiles.defaults());
        policies = PolicyFile.defaults();
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(SCENARIOS)) {
            files = s.filter(p -> p.toString().endsWith(".scenario")).sorted().toList();
        }
        assertThat(files).as("scenario files in " + SCENARIOS).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ScenarioResult result = ScenarioRunner.run(rules, policies, f);
            assertThat(result.failures()).as(result.name()).isEmpty();
            assertThat(result.passed()).isTrue();
        }));
    }

    @Test
    void indexListsExactlyTheRuleFilesInTheFolder() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> s = Files.list(RULES_DIR)) {
            onDisk = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".drl")).collect(Collectors.toSet());
        }
        Set<String> indexed = Files.readAllLines(RULES_DIR.resolve("index.list")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        assertThat(indexed).as("homeroom/rules/index.list must name every .drl in the folder (run: ls *.drl > index.list)")
                .isEqualTo(onDisk);
        assertThat(RuleFiles.defaults()).extracting(RuleFile::name)
                .containsExactlyInAnyOrderElementsOf(onDisk.stream().map(n -> "homeroom/rules/" + n).toList());
    }

    @Test
    void shippedPoliciesFileStatesEveryCatalogDefault() throws IOException {
        assertThat(policies).isEqualTo(PolicyCatalog.defaults());
        String text = Files.readString(RULES_DIR.resolve("policies.properties"));
        for (PolicyCatalog.Entry e : PolicyCatalog.entries()) {
            assertThat(text).as("policies.properties shows " + e.key()).containsPattern("(?m)^" + Pattern.quote(e.key()) + " =");
        }
    }

    @Test
    void everyRuleHasAStableIdMatchingItsNameAndAWhyComment() throws IOException {
        assertThat(rules.rules()).isNotEmpty();
        Set<String> ids = new HashSet<>();
        for (RuleInfo r : rules.rules()) {
            assertThat(r.name()).as("rule name starts with its @id").startsWith(r.id() + " ");
            assertThat(ids.add(r.id())).as("rule id " + r.id() + " is unique").isTrue();
        }
        Pattern rule = Pattern.compile("(?m)^// why: .+\\nrule \"");
        Pattern anyRule = Pattern.compile("(?m)^rule \"");
        try (Stream<Path> s = Files.list(RULES_DIR)) {
            for (Path drl : s.filter(p -> p.toString().endsWith(".drl")).toList()) {
                String text = Files.readString(drl);
                assertThat(text).as(drl + " starts with a header comment saying what it decides")
                        .containsPattern("^package [\\w.]+;\\n\\n// " + Pattern.quote(drl.getFileName().toString()) + ": decides");
                assertThat(count(rule.matcher(text))).as(drl + ": every rule has a one-line // why: comment above it")
                        .isEqualTo(count(anyRule.matcher(text)));
                assertThat(text).as(drl + " uses no salience").doesNotContain("salience");
            }
        }
    }

    @Test
    void everyRuleIsNamedByAScenarioThatFiresItAndOneThatDoesNot() throws IOException {
        String all;
        try (Stream<Path> s = Files.list(SCENARIOS)) {
            all = s.filter(p -> p.toString().endsWith(".scenario")).map(DefaultRulesTest::read).collect(Collectors.joining("\n"));
        }
        for (RuleInfo r : rules.rules()) {
            assertThat(all).as("a scenario expects rule=" + r.id()).containsPattern("\\brule=" + Pattern.quote(r.id()) + "\\b");
            assertThat(all).as("a scenario expects not-rule=" + r.id()).containsPattern("not-rule=" + Pattern.quote(r.id()) + "\\b");
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
