package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import picocli.CommandLine.Command;

@Command(name = "plan", description = "A dry run: what a sync would change and whether a safety guard would halt it. Applies nothing.")
final class PlanCommand extends RunCommand {
    @Override
    SyncReport run(SyncEngine engine) {
        return engine.plan(options.syncMode());
    }
}
