package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = "A dry run: what a sync would change and whether a safety guard would halt it. Applies nothing.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    EngineOptions options = new EngineOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (SyncEngine engine = options.builder().build()) {
            SyncReport report = engine.plan(options.syncMode());
            SyncCommand.print(spec, options.json, report);
            return Reports.exitCode(report);
        }
    }
}
