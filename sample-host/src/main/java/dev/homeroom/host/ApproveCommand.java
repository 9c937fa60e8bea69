package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "approve", description = "Apply the plan of a run a safety guard halted (the same plan, or it halts again).")
final class ApproveCommand extends RunCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the halted run")
    String runId;

    @Override
    SyncReport run(SyncEngine engine) {
        return engine.approve(runId);
    }
}
