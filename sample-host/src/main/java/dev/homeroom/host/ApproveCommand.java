package dev.homeroom.host;

import dev.homeroom.engine.ChangeSelection;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approve", description = {"Apply the plan of a run a safety guard halted (the same plan, or it halts again).",
        "--only or --except apply some of its changes (their ids: changes RUN_ID); the others stay pending."})
final class ApproveCommand extends RunCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the halted run")
    String runId;

    @Option(names = "--only", paramLabel = "ID", arity = "1..*", split = ",",
            description = "apply only these changes of a MANUAL plan (ids from the changes command; space- or comma-separated)")
    List<String> only = new ArrayList<>();

    @Option(names = "--except", paramLabel = "ID", arity = "1..*", split = ",",
            description = "apply every change of a MANUAL plan but these, which stay pending")
    List<String> except = new ArrayList<>();

    @Option(names = "--as", paramLabel = "NAME", description = "who approves, as the run's decisions record it (default: the OS user)")
    String as;

    /** Who a CLI decision names: --as, else the OS user. */
    static String approver(String as) {
        String who = as == null || as.isBlank() ? System.getProperty("user.name") : as.strip();
        return who == null || who.isBlank() ? null : who;
    }

    @Override
    SyncReport run(SyncEngine engine) {
        if (!only.isEmpty() && !except.isEmpty()) {
            throw new dev.homeroom.engine.ConfigurationException("HR-CONFIG-096", "give --only or --except, not both");
        }
        if (!only.isEmpty()) {
            return engine.approve(runId, ChangeSelection.only(only), approver(as));
        }
        if (!except.isEmpty()) {
            return engine.approve(runId, ChangeSelection.except(except), approver(as));
        }
        return engine.approve(runId, approver(as));
    }
}
