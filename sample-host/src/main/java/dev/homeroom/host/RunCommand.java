package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** What {@code sync}, {@code plan} and {@code approve} share: the engine options, the report, the exit code. */
abstract class RunCommand implements Callable<Integer> {
    @Mixin
    EngineOptions options = new EngineOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    abstract SyncReport run(SyncEngine engine);

    @Override
    public Integer call() {
        SyncEngine.Builder builder = options.builder();
        if (ProgressListener.wanted(options.json, ProgressListener.stdoutIsTerminal())) {
            builder.listener(new ProgressListener(spec.commandLine().getOut(), System::nanoTime));
        }
        try (SyncEngine engine = builder.build()) {
            SyncReport report = run(engine);
            if (options.json) {
                com.fasterxml.jackson.databind.node.ObjectNode node = Reports.tree(report);
                addJson(node);
                spec.commandLine().getOut().println(node.toString());
            } else {
                Reports.human(spec.commandLine().getOut(), report);
                printHuman(spec.commandLine().getOut());
            }
            return Reports.exitCode(report);
        }
    }

    /** What a command adds to the report's JSON (plan: its changes). */
    void addJson(com.fasterxml.jackson.databind.node.ObjectNode report) {}

    /** What a command prints after the report. */
    void printHuman(java.io.PrintWriter out) {}
}
