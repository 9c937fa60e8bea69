package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncReport;
import picocli.CommandLine.Command;

@Command(name = "sync", description = "Sync one district: fetch from Clever, decide with the rules, apply to the store.")
final class SyncCommand extends RunCommand {
    @Override
    SyncReport run(SyncEngine engine) {
        return engine.sync(options.syncMode());
    }
}
