package dev.homeroom.host;

import dev.homeroom.admin.AdminConsole;
import dev.homeroom.admin.AdminProgress;
import dev.homeroom.engine.SyncEngine;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "admin", description = {
        "Serve the admin console on 127.0.0.1 until stopped (Ctrl-C): districts and runs, warnings, explain, halted plans, "
                + "staged sections, edits, live progress.",
        "It prints a token once; the browser's sign-in form takes it and gives a session cookie. Give the Clever options of "
                + "sync (--clever-url, CLEVER_TOKEN or --token-file) to let the console sync and approve; without a token it reads only."})
final class AdminCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8088", description = "port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 for a free one)")
    int port;

    @Mixin
    EngineOptions options = new EngineOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        AdminProgress progress = new AdminProgress();
        SyncEngine engine = options.builder().listener(progress).build();
        AdminConsole.Standalone console;
        try {
            console = AdminConsole.builder(engine).progress(progress).standalone(port);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        var out = spec.commandLine().getOut();
        out.printf("Homeroom admin console on %s (127.0.0.1 only); Ctrl-C to stop%n", console.url());
        out.printf("sign in with this token (shown once, never logged): %s%n", console.token());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.close();
            engine.close();
            stopped.countDown();
        }));
        stopped.await();
        return HomeroomCli.OK;
    }
}
