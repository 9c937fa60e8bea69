package dev.homeroom.engine;

import dev.homeroom.engine.internal.schedule.DistrictScheduler;
import dev.homeroom.engine.internal.schedule.SchedulerSettings;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.Vendor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * Runs many districts on a schedule, shared by every host process on the same store: per district a daily full sync,
 * incremental syncs every N minutes between, and {@link #syncNow} on demand. Built on db-scheduler, whose table
 * ({@code scheduled_tasks}) the store's migrations create.
 *
 * <ul>
 *   <li>A district never runs twice at once: one process picks its one scheduled execution at a time, and the
 *       engine's row lock stops any other run (a busy district, {@code HR-SYNC-409}, is retried shortly).</li>
 *   <li>A slot that passed while no scheduler ran is caught up once, not once per missed slot; a missed daily full
 *       sync is caught up as a full sync.</li>
 *   <li>A district whose runs fail backs off exponentially ({@link Builder#failureBackoff}) while the others keep their
 *       schedules.</li>
 *   <li>A process that dies mid-run leaves the district to another process after its heartbeats stop.</li>
 * </ul>
 *
 * Every process serving a store should know every district (the same districts file): a process that picks a district
 * it does not know leaves it to the others for a while.
 *
 * <pre>{@code
 * try (SyncScheduler scheduler = SyncScheduler.builder()
 *         .store(StoreConfig.of("jdbc:postgresql://db/app", "app", secret))
 *         .district(new ScheduledDistrict("springfield", DistrictSchedule.daily(LocalTime.of(2, 0), 30),
 *                 engine -> engine.token(springfieldToken)))
 *         .listener(run -> log.info(run.oneLine()))
 *         .build()) {
 *     scheduler.start();
 *     ...
 *     scheduler.syncNow("springfield");
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SyncScheduler implements AutoCloseable {

    /** Hears every run the scheduler makes; called on the scheduler's threads, so it must be thread-safe. */
    @API(status = API.Status.EXPERIMENTAL)
    public interface Listener {
        /** A run of this district starts now. */
        default void runStarted(String districtKey, SyncMode mode, String trigger) {}

        /** A run ended; the district is scheduled again for {@code run.next()}. */
        void runFinished(ScheduledRun run);
    }

    private final DistrictScheduler scheduler;

    private SyncScheduler(DistrictScheduler scheduler) {
        this.scheduler = scheduler;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Schedules every district that has no schedule in the store yet (its first run, a full sync, is due at once) and
     * starts running them. Returns at once.
     */
    public SyncScheduler start() {
        scheduler.start();
        return this;
    }

    /**
     * Runs the district as soon as a scheduler thread is free, in this mode (a full sync of it marks today's daily full
     * sync done). Returns false when a run of it is in progress right now: that run goes on, and the district keeps its
     * schedule. An unknown key is refused ({@link ConfigurationException}).
     */
    public boolean syncNow(String districtKey, SyncMode mode) {
        return scheduler.syncNow(districtKey, Objects.requireNonNull(mode, "mode"));
    }

    /** {@link #syncNow(String, SyncMode)} with a full sync. */
    public boolean syncNow(String districtKey) {
        return syncNow(districtKey, SyncMode.FULL);
    }

    /** When the district runs next, on the scheduler's clock; empty when it is running now or not scheduled. */
    public Optional<Instant> nextRun(String districtKey) {
        return scheduler.nextRun(districtKey);
    }

    /** The districts this scheduler runs, by key. */
    public List<String> districts() {
        return scheduler.districtKeys();
    }

    /** The name this process has among the schedulers sharing the store. */
    public String node() {
        return scheduler.node();
    }

    /**
     * Stops picking new runs, waits for the runs in progress (up to {@link Builder#shutdownWait}), closes the engines
     * and the store it opened. A run cut short rolls back and is run again by the next scheduler.
     */
    @Override
    public void close() {
        scheduler.close();
    }

    /** Collects the scheduler's settings; every setter fails fast with a message that says what to change. */
    @API(status = API.Status.EXPERIMENTAL)
    public static final class Builder {
        private StoreConfig storeConfig;
        private DataSource dataSource;
        private Vendor vendor;
        private final Map<String, ScheduledDistrict> districts = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration pollingInterval = Duration.ofSeconds(10);
        private Duration heartbeatInterval = Duration.ofMinutes(1);
        private int threads = 4;
        private Duration firstBackoff = Duration.ofMinutes(1);
        private Duration maxBackoff = Duration.ofHours(2);
        private Duration busyRetry = Duration.ofMinutes(1);
        private Duration shutdownWait = Duration.ofSeconds(30);
        private String node;
        private final List<Listener> listeners = new ArrayList<>();

        private Builder() {}

        /** The store the scheduler opens (and migrates), shares with its districts' engines, and closes. */
        public Builder store(StoreConfig config) {
            this.storeConfig = Objects.requireNonNull(config, "config");
            this.dataSource = null;
            return this;
        }

        /** A data source the host owns and closes; the scheduler migrates its schema. */
        public Builder dataSource(DataSource dataSource, Vendor vendor) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.vendor = Objects.requireNonNull(vendor, "vendor");
            this.storeConfig = null;
            return this;
        }

        public Builder district(ScheduledDistrict district) {
            Objects.requireNonNull(district, "district");
            if (districts.putIfAbsent(district.key(), district) != null) {
                throw new ConfigurationException("HR-SCHED-003", "district key '" + district.key() + "' is given twice: keys must be unique");
            }
            return this;
        }

        public Builder districts(Collection<ScheduledDistrict> all) {
            all.forEach(this::district);
            return this;
        }

        /** The clock slots are computed and compared on (default the system's, UTC); tests pass one they advance. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often each process looks for due runs (default 10 s). */
        public Builder pollingInterval(Duration interval) {
            this.pollingInterval = positive(interval, "polling interval");
            return this;
        }

        /**
         * How often a running district's process says it is alive (default 1 min); after six missed heartbeats another
         * process takes the district over.
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeat interval");
            return this;
        }

        /** How many districts one process syncs at once (default 4). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new ConfigurationException("HR-SCHED-004", "threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * A failing district is retried after {@code first}, then twice as long after each further failure in a row, at
         * most {@code max} apart (default 1 min to 2 h). A run that succeeds puts it back on its schedule.
         */
        public Builder failureBackoff(Duration first, Duration max) {
            positive(first, "first backoff");
            positive(max, "maximum backoff");
            if (max.compareTo(first) < 0) {
                throw new ConfigurationException("HR-SCHED-005", "maximum backoff " + max + " is shorter than the first " + first);
            }
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** When another run holds a district (HR-SYNC-409), it is tried again this much later (default 1 min). */
        public Builder busyRetry(Duration delay) {
            this.busyRetry = positive(delay, "busy retry");
            return this;
        }

        /** How long {@link #close()} waits for runs in progress (default 30 s). */
        public Builder shutdownWait(Duration wait) {
            this.shutdownWait = positive(wait, "shutdown wait");
            return this;
        }

        /** This process's name among the schedulers (default host name and process id); at most 50 characters. */
        public Builder node(String name) {
            if (name == null || name.isBlank() || name.length() > 50) {
                throw new ConfigurationException("HR-SCHED-006", "scheduler node name '" + name + "' must be 1 to 50 characters");
            }
            this.node = name.strip();
            return this;
        }

        public Builder listener(Listener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Checks the settings, builds every district's engine (a bad token or URL fails here) and opens the store; the
         * scheduler runs nothing until {@link SyncScheduler#start()}.
         */
        public SyncScheduler build() {
            if (districts.isEmpty()) {
                throw new ConfigurationException("HR-SCHED-007", "no districts to schedule: add at least one district");
            }
            Store store;
            if (dataSource != null) {
                store = Store.open(dataSource, vendor);
            } else {
                StoreConfig config = storeConfig != null ? storeConfig : StoreConfig.h2File(java.nio.file.Path.of("rostersync-data"));
                int pool = Math.max(config.maxPoolSize(), threads * 2 + 3);
                store = Store.open(new StoreConfig(config.jdbcUrl(), config.user(), config.password(), pool));
            }
            SchedulerSettings settings = new SchedulerSettings(List.copyOf(districts.values()), clock, pollingInterval, heartbeatInterval,
                    threads, firstBackoff, maxBackoff, busyRetry, shutdownWait, node != null ? node : SchedulerSettings.defaultNode(),
                    List.copyOf(listeners));
            try {
                return new SyncScheduler(new DistrictScheduler(settings, store, dataSource == null));
            } catch (RuntimeException e) {
                if (dataSource == null) {
                    store.close();
                }
                throw e;
            }
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new ConfigurationException("HR-SCHED-008", what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
