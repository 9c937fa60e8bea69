package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.rules.ScenarioResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rules", description = "Author rules: compile them, run scenarios.", subcommands = {RulesCommand.Check.class, RulesCommand.Test.class,
        picocli.CommandLine.HelpCommand.class})
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

        @Option(names = "--plugin-setting", paramLabel = "ID.KEY=VALUE", description = "a setting for one plugin (repeatable)")
        List<String> pluginSettings = new java.util.ArrayList<>();

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SyncEngine.Builder builder = SyncEngine.builder().rulesDirectory(rules).pluginDirectory(plugins);
            PluginSettings.apply(pluginSettings, builder);
            try (SyncEngine engine = builder.build()) {
                List<String> problems = engine.checkRules();
                problems.forEach(spec.commandLine().getOut()::println);
                engine.refusedPlugins().forEach(m -> spec.commandLine().getErr().println("refused plugin: " + m));
                if (!engine.refusedPlugins().isEmpty()) {
                    return HomeroomCli.FAILED;
                }
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

        @Option(names = "--plugins", paramLabel = "DIR",
                description = "also use the rule files and policy overrides of the plugin jars in DIR (a partner testing a plugin)")
        Path plugins;

        @Option(names = "--plugin-setting", paramLabel = "ID.KEY=VALUE", description = "a setting for one plugin (repeatable)")
        List<String> pluginSettings = new java.util.ArrayList<>();

        @Parameters(paramLabel = "SCENARIO", arity = "1..*", description = "scenario files, or directories of *.scenario files")
        List<Path> scenarios;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            PrintWriter out = spec.commandLine().getOut();
            // only the plugins of --plugins DIR: scenarios test the rules a team edits, plus the plugin it names
            SyncEngine.Builder builder = SyncEngine.builder().rulesDirectory(rules).discoverPlugins(false).pluginDirectory(plugins);
            PluginSettings.apply(pluginSettings, builder);
            List<ScenarioResult> results;
            try (SyncEngine engine = builder.build()) {
                if (!engine.refusedPlugins().isEmpty()) {
                    engine.refusedPlugins().forEach(m -> spec.commandLine().getErr().println("refused plugin: " + m));
                    return HomeroomCli.FAILED;
                }
                results = engine.testScenarios(expand(scenarios));
            }
            int passed = 0;
            int failed = 0;
            for (ScenarioResult r : results) {
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
