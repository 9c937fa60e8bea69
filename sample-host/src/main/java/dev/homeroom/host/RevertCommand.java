package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code revert RUN_ID}: restores what a run changed, as a run of its own; Clever is not contacted. */
@Command(name = "revert", description = "Restore every provisioned value and active flag a run changed, as a new run (Clever is not contacted).")
final class RevertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the run to revert (one that SUCCEEDED; see the runs command)")
    String runId;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--rules", paramLabel = "DIR", description = "the rules directory whose policies.properties holds the safety guard's shares")
    Path rules;

    @Option(names = "--policies", paramLabel = "FILE", description = "a policies file (the safety guard's shares)")
    Path policies;

    @Option(names = "--plugins", paramLabel = "DIR", description = "a directory of extra district plugin jars (their policy overrides apply)")
    Path plugins;

    @Option(names = "--plugin-setting", paramLabel = "ID.KEY=VALUE", description = "a setting for one plugin (repeatable)")
    List<String> pluginSettings = new ArrayList<>();

    @Option(names = "--json", description = "print one JSON object on stdout (logs go to stderr)")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SyncEngine.Builder builder = SyncEngine.builder().store(store.config()).rulesDirectory(rules).policiesFile(policies)
                .pluginDirectory(plugins);
        PluginSettings.apply(pluginSettings, builder);
        try (SyncEngine engine = builder.build()) {
            SyncReport report = engine.revert(runId);
            if (json) {
                Reports.json(spec.commandLine().getOut(), report);
            } else {
                Reports.human(spec.commandLine().getOut(), report);
            }
            return Reports.exitCode(report);
        }
    }
}
