package dev.homeroom.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.homeroom.engine.PlannedChange;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.internal.ReportJson;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "changes", description = "List the changes of a halted or planned run, each with the id approve --only/--except take.")
final class ChangesCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "a halted or planned run")
    String runId;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = out();
        try (SyncEngine engine = store.readOnlyEngine()) {
            List<PlannedChange> changes = engine.plannedChanges(runId);
            if (json) {
                out.println(ReportJson.mapper().writeValueAsString(changes));
            } else {
                changes.forEach(c -> out.printf("%-14s %-11s %-10s %s%n", c.id(), c.change(), c.entity(), c.key()));
                out.println(changes.size() + " planned changes" + (changes.isEmpty() ? " (the run is not halted or planned,"
                        + " planned none, or planned more than 200,000, which are not listed)" : "; apply some: approve " + runId + " --only ID… (or --except ID…)"));
            }
            return HomeroomCli.OK;
        }
    }
}
