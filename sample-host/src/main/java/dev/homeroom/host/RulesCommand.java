package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.rules.PolicyFile;
import dev.homeroom.rules.RuleFiles;
import dev.homeroom.rules.RuleSet;
import dev.homeroom.rules.ScenarioResult;
import dev.homeroom.rules.ScenarioRunner;
import dev.homeroom.spi.Policies;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rules", description = "Author rules: compile them, run scenarios.", subcommands = {RulesCommand.Check.class, RulesCommand.Test.class})
final class RulesCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "use 'rules check' or 'rules test'");
    }

    @Command(name = "check", description = "Compile every rule file (and every plugin's); print errors as FILE:LINE:COLUMN: message.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--rules", paramLabel = "DIR", description = "a rules directory (default: the shipped rules)")
        Path rules;

        @Option(names = "--plugins", paramLabel = "DIR", description = "a directory of extra plugin jars")
        Path plugins;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (SyncEngine engine = SyncEngine.builder().rulesDirectory(rules).pluginDirectory(plugins).build()) {
                List<String> problems = engine.checkRules();
                problems.forEach(spec.commandLine().getOut()::println);
                engine.refusedPlugins().forEach(spec.commandLine().getErr()::println);
                if (problems.isEmpty()) {
                    spec.commandLine().getOut().println("rules OK (" + (rules == null ? "shipped rules" : rules) + ", plugins: "
                            + String.join(", ", engine.pluginNames()) + ")");
                    return HomeroomCli.OK;
                }
                return HomeroomCli.FAILED;
            }
        }
    }

    @Command(name = "test", description = "Run rule scenarios (given records and policies, expect decisions); pass/fail per scenario.")
    static final class Test implements Callable<Integer> {
        @Option(names = "--rules", paramLabel = "DIR", description = "a rules directory (default: the shipped rules)")
        Path rules;

        @Parameters(paramLabel = "SCENARIO", arity = "1..*", description = "scenario files, or directories of *.scenario files")
        List<Path> scenarios;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            PrintWriter out = spec.commandLine().getOut();
            RuleSet ruleSet = RuleSet.compile(rules == null ? RuleFiles.defaults() : RuleFiles.fromDirectory(rules));
            Policies policies = rules != null && Files.isRegularFile(rules.resolve("policies.properties"))
                    ? PolicyFile.load(rules.resolve("policies.properties")) : PolicyFile.defaults();
            int passed = 0;
            int failed = 0;
            for (Path file : expand(scenarios)) {
                ScenarioResult r = ScenarioRunner.run(ruleSet, policies, file);
                if (r.passed()) {
                    passed++;
                    out.println("PASS " + r.name());
                } else {
                    failed++;
                    out.println("FAIL " + r.name());
                    r.failures().forEach(f -> out.println("     " + f));
                }
            }
            out.println(passed + " passed, " + failed + " failed");
            return failed == 0 ? HomeroomCli.OK : HomeroomCli.FAILED;
        }

        private static List<Path> expand(List<Path> paths) throws java.io.IOException {
            List<Path> files = new java.util.ArrayList<>();
            for (Path p : paths) {
                if (Files.isDirectory(p)) {
                    try (var s = Files.walk(p)) {
                        s.filter(f -> f.toString().endsWith(".scenario")).sorted().forEach(files::add);
                    }
                } else if (Files.isRegularFile(p)) {
                    files.add(p);
                } else {
                    throw new dev.homeroom.engine.ConfigurationException("HR-CONFIG-040", "scenario file not found: " + p);
                }
            }
            return files;
        }
    }
}
