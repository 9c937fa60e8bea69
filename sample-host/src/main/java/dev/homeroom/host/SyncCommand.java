package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "sync", description = "Sync one district: fetch from Clever, decide with the rules, apply to the store.")
final class SyncCommand implements Callable<Integer> {
    @Mixin
    EngineOptions options = new EngineOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (SyncEngine engine = options.builder().build()) {
            SyncReport report = engine.sync(options.syncMode());
            print(spec, options.json, report);
            return Reports.exitCode(report);
        }
    }

    static void print(picocli.CommandLine.Model.CommandSpec spec, boolean json, SyncReport report) {
        if (json) {
            Reports.json(spec.commandLine().getOut(), report);
        } else {
            Reports.human(spec.commandLine().getOut(), report);
        }
    }
}
