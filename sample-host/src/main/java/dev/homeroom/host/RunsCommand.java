package dev.homeroom.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.homeroom.engine.RunInfo;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.internal.ReportJson;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "runs", description = "List past sync runs, newest first.")
final class RunsCommand extends StoreCommand {

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = out();
        try (SyncEngine engine = store.readOnlyEngine()) {
            List<RunInfo> runs = engine.runs(limit);
            if (json) {
                var array = ReportJson.mapper().createArrayNode();
                for (RunInfo r : runs) {
                    array.add(r.reportJson() == null ? ReportJson.mapper().valueToTree(r) : ReportJson.mapper().readTree(r.reportJson()));
                }
                out.println(ReportJson.mapper().writeValueAsString(array));
            } else {
                runs.forEach(r -> out.printf("%s  %-24s %-11s %-8s started %s  warnings %d  errors %d%n", r.runId(), r.status(), r.districtId(),
                        r.mode(), r.startedAt(), r.warnings(), r.errors()));
            }
            return HomeroomCli.OK;
        }
    }
}
