package dev.homeroom.host;

import dev.homeroom.engine.RunInfo;
import dev.homeroom.engine.SyncEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reject RUN_ID}: closes a halted run's plan without applying it; the next sync plans again. */
@Command(name = "reject", description = "Reject the plan of a run a safety guard halted: nothing is applied, the run becomes REJECTED and the next sync plans again.")
final class RejectCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the halted run")
    String runId;

    @Option(names = "--as", paramLabel = "NAME", description = "who rejects, as the run's decisions record it (default: the OS user)")
    String as;

    @Override
    public Integer call() {
        try (SyncEngine engine = store.readOnlyEngine()) {
            RunInfo run = engine.reject(runId, ApproveCommand.approver(as));
            var decisions = engine.approvals(runId);
            String by = decisions.get(decisions.size() - 1).approver();
            if (json) {
                out().println(dev.homeroom.engine.internal.ReportJson.mapper().createObjectNode().put("runId", run.runId())
                        .put("status", run.status()).put("rejectedBy", by));
            } else {
                out().println("Run " + run.runId() + " is " + run.status() + " (rejected by " + by + "): nothing was applied; the next sync plans again.");
            }
            return HomeroomCli.OK;
        }
    }
}
