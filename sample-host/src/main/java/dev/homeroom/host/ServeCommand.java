package dev.homeroom.host;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.ScheduledDistrict;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncScheduler;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = {
        "Run the districts of FILE on their schedules until stopped (Ctrl-C): a daily full sync, incrementals between, one line per run.",
        "Several serve processes may share one PostgreSQL store: each district runs on one of them at a time.",
        "FILE has one district per line: KEY token-file=FILE|token-env=VAR [url=URL] [daily=HH:MM] [incremental=MINUTES] [zone=ZONE]"})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--districts", paramLabel = "FILE", required = true, description = "the districts to run, one per line (see above)")
    Path districts;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--rules", paramLabel = "DIR", description = "a directory of .drl files (and policies.properties) for every district")
    Path rules;

    @Option(names = "--policies", paramLabel = "FILE", description = "a policies file for every district")
    Path policies;

    @Option(names = "--plugins", paramLabel = "DIR", description = "a directory of extra district plugin jars")
    Path plugins;

    @Option(names = "--plugin-setting", paramLabel = "ID.KEY=VALUE", description = "a setting for one plugin (repeatable)")
    List<String> pluginSettings = new ArrayList<>();

    @Option(names = "--threads", defaultValue = "4", description = "districts this process syncs at once (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "10", description = "how often to look for due runs (default ${DEFAULT-VALUE})")
    double pollSeconds;

    @Option(names = "--node", paramLabel = "NAME", description = "this process's name among the schedulers (default: host name and process id)")
    String node;

    /** Tests simulate a day: the time is read from this file (an ISO instant) instead of the system clock. */
    @Option(names = "--clock-file", hidden = true)
    Path clockFile;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (pollSeconds < 0.01) {
            throw new ConfigurationException("HR-SCHED-013", "--poll " + pollSeconds + " is too short: use 0.01 seconds or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<ScheduledDistrict> scheduled = new ArrayList<>();
        for (DistrictsFile.Entry e : DistrictsFile.read(districts, System.getenv())) {
            scheduled.add(new ScheduledDistrict(e.key(), e.schedule(), b -> configure(b, e)));
        }
        SyncScheduler.Builder builder = SyncScheduler.builder()
                .store(store.config())
                .districts(scheduled)
                .threads(threads)
                .pollingInterval(Duration.ofMillis(Math.round(pollSeconds * 1000)))
                .listener(run -> {
                    synchronized (out) {
                        out.println(run.startedAt() + " " + run.oneLine());
                        out.flush();
                    }
                });
        if (node != null) {
            builder.node(node);
        }
        if (clockFile != null) {
            builder.clock(new FileClock(clockFile));
        }
        SyncScheduler scheduler = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            scheduler.close();
            stopped.countDown();
        }, "homeroom-serve-stop"));
        scheduler.start();
        out.printf("serving %d districts from %s as %s; Ctrl-C to stop%n", scheduled.size(), districts, scheduler.node());
        out.flush();
        stopped.await();
        return HomeroomCli.OK;
    }

    private void configure(SyncEngine.Builder b, DistrictsFile.Entry e) {
        b.cleverUrl(e.cleverUrl()).token(e.token()).rulesDirectory(rules).policiesFile(policies).pluginDirectory(plugins);
        PluginSettings.apply(pluginSettings, b);
    }

    /** The time written in a file, read again at most every 10 ms. */
    static final class FileClock extends Clock {
        private final Path file;
        private volatile Instant last;
        private volatile long readAt;

        FileClock(Path file) {
            this.file = file;
            this.last = read();
        }

        private Instant read() {
            try {
                return Instant.parse(Files.readString(file).strip());
            } catch (java.io.IOException | RuntimeException e) {
                if (last == null) {
                    throw new ConfigurationException("HR-SCHED-014", "--clock-file " + file + " does not hold an ISO instant such as 2026-03-02T02:00:00Z");
                }
                return last; // being rewritten: the previous time stands
            }
        }

        @Override
        public Instant instant() {
            long now = System.nanoTime();
            if (now - readAt > 10_000_000L) {
                last = read();
                readAt = now;
            }
            return last;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
