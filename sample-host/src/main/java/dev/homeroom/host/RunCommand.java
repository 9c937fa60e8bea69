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
                Reports.json(spec.commandLine().getOut(), report);
            } else {
                Reports.human(spec.commandLine().getOut(), report);
            }
            return Reports.exitCode(report);
        }
    }
}
