package dev.homeroom.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.internal.ReportJson;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "warnings", description = "List the data warnings and handled errors of a run.")
final class WarningsCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--limit", defaultValue = "1000")
    int limit;

    /** "12 warnings and handled errors", or "1,000 of 1,856 warnings and handled errors; use --limit 1856 to see them all". */
    static String shown(int shown, int stored) {
        if (shown >= stored) {
            return String.format(java.util.Locale.ROOT, "%,d warnings and handled errors", shown);
        }
        return String.format(java.util.Locale.ROOT, "%,d of %,d warnings and handled errors; use --limit %d to see them all",
                shown, stored, stored);
    }

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = out();
        try (SyncEngine engine = store.readOnlyEngine()) {
            List<DataIssue> issues = engine.warnings(runId, limit);
            int stored = engine.warningCount(runId);
            if (json) {
                out.println(ReportJson.mapper().writeValueAsString(issues));
            } else {
                issues.forEach(w -> out.printf("%-8s %-26s %-22s %-18s %s  [%s]%n", w.kind(), w.cleverId(), w.code(),
                        w.field() == null ? "" : w.field(), w.message(), w.rule()));
                out.println(shown(issues.size(), stored));
            }
            if (json && issues.size() < stored) {
                // stdout stays one JSON document; the note goes where a person sees it
                spec.commandLine().getErr().println(shown(issues.size(), stored));
            }
            return HomeroomCli.OK;
        }
    }
}
