package dev.homeroom.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.engine.Plan;
import dev.homeroom.engine.RecordChange;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.internal.ReportJson;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", description = "A dry run: what a sync would change, record by record with the rule and reason, and whether a safety guard would halt it. Applies nothing.")
final class PlanCommand extends RunCommand {
    @Option(names = "--changes", paramLabel = "N", defaultValue = "20",
            description = "List the first N records the run would change, with the rule and reason (default ${DEFAULT-VALUE}); the rest are counted.")
    int changes;

    private Plan plan;

    @Override
    SyncReport run(SyncEngine engine) {
        plan = engine.plan(options.syncMode(), changes);
        return plan.report();
    }

    @Override
    void addJson(ObjectNode report) {
        report.set("changes", ReportJson.mapper().valueToTree(plan.changes()));
        report.put("changeCount", plan.changeCount());
        report.put("changesNotListed", plan.notListed());
    }

    @Override
    void printHuman(PrintWriter out) {
        if (plan.report().failure() != null) {
            return;
        }
        if (plan.changeCount() == 0) {
            out.println("changes: none");
            return;
        }
        out.printf("changes: %,d record%s would change%s%n", plan.changeCount(), plan.changeCount() == 1 ? "" : "s",
                plan.notListed() == 0 ? "" : String.format(java.util.Locale.ROOT, "; the first %,d:", plan.changes().size()));
        for (RecordChange c : plan.changes()) {
            out.printf("  %-11s %-8s %-26s %s: %s%n", c.change(), c.kind(), c.cleverId(), c.rule(), c.reason());
        }
        if (plan.notListed() > 0) {
            out.printf("  … and %,d more (the counts per kind above cover them; --changes N lists more)%n", plan.notListed());
        }
    }
}
