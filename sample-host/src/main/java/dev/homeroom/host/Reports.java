package dev.homeroom.host;

import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.engine.internal.ReportJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/** Prints run reports for people (a table) and for machines (the JSON of docs/CLI.md), and maps a status to an exit code. */
final class Reports {
    private Reports() {}

    static int exitCode(SyncReport report) {
        return switch (report.status()) {
            case SUCCEEDED, SUCCEEDED_WITH_WARNINGS, PLANNED -> HomeroomCli.OK;
            case HALTED -> HomeroomCli.HALTED;
            case FAILED -> "HR-SYNC-409".equals(report.failureCode()) ? HomeroomCli.BUSY : HomeroomCli.FAILED;
        };
    }

    static void json(PrintWriter out, SyncReport report) {
        out.println(ReportJson.toJson(report));
    }

    /** The report's JSON (docs/CLI.md) as a tree, for a command that adds to it. */
    static com.fasterxml.jackson.databind.node.ObjectNode tree(SyncReport report) {
        try {
            return (com.fasterxml.jackson.databind.node.ObjectNode) ReportJson.mapper().readTree(ReportJson.toJson(report));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the report's own JSON cannot be read back", e);
        }
    }

    static void human(PrintWriter out, SyncReport r) {
        out.printf("run %s  district %s (%s)  mode %s  status %s  in %.1f s%n", r.runId(), r.districtId(), r.districtName(),
                r.mode().label(), r.status(), Duration.between(r.startedAt(), r.finishedAt()).toMillis() / 1000.0);
        r.loadedPlugins().forEach(m -> out.println("plugin: " + m));
        r.refusedPlugins().forEach(m -> out.println("refused plugin: " + m));
        if (r.failure() != null) {
            out.println("failure: " + r.failure() + (r.failureCode() == null ? "" : " [" + r.failureCode() + "]"));
            return;
        }
        out.printf("%-9s %8s %8s %8s %9s %8s %11s %11s %7s%n", "", "fetched", "created", "updated", "unchanged", "skipped",
                "deactivated", "reactivated", "errors");
        for (String kind : ReportJson.KINDS) {
            KindCounts c = r.counts(kind);
            out.printf("%-9s %8d %8d %8d %9d %8d %11d %11d %7d%n", kind, c.fetched(), c.created(), c.updated(), c.unchanged(),
                    c.skipped(), c.deactivated(), c.reactivated(), c.errors());
        }
        if (!r.skippedByRule().isEmpty()) {
            out.println("skipped by rule:");
            r.skippedByRule().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.printf("  %6d  %s%n", e.getValue(), e.getKey()));
        }
        if (!r.deactivatedByRule().isEmpty()) {
            out.println("deactivated by rule:");
            r.deactivatedByRule().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> out.printf("  %6d  %s%n", e.getValue(), e.getKey()));
        }
        out.printf("warnings: %d   handled errors: %d%n", r.warnings(), r.errors());
        if (r.mode() == dev.homeroom.engine.SyncMode.REVERT && r.warnings() > 0 && r.status() != SyncStatus.HALTED) {
            out.println("not restored: " + r.warnings() + " records a later run changed again (their NOT_RESTORED lines: warnings "
                    + r.runId() + ")");
        }
        if (r.guard() != null) {
            out.println((r.status() == SyncStatus.HALTED ? "HALTED by safety guard: " : "safety guard: ") + r.guard());
            if (r.status() == SyncStatus.HALTED) {
                out.println("nothing was applied; to apply this plan: approve " + r.runId()
                        + (!r.guard().contains("too many to list") ? " (or some of its changes: changes " + r.runId()
                        + ", then approve " + r.runId() + " --only ID…)" : ""));
            }
        }
    }
}
