package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "approve", description = "Apply the plan of a run a safety guard halted (the same plan, or it halts again).")
final class ApproveCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the halted run")
    String runId;

    @Mixin
    EngineOptions options = new EngineOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (SyncEngine engine = options.builder().build()) {
            SyncReport report = engine.approve(runId);
            SyncCommand.print(spec, options.json, report);
            return Reports.exitCode(report);
        }
    }
}
