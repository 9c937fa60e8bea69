package dev.homeroom.engine.internal.schedule;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.ScheduledDistrict;
import dev.homeroom.engine.ScheduledRun;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncScheduler;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.HomeroomException;
import dev.homeroom.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler behind {@link SyncScheduler}: one db-scheduler task, one task instance per district (its key), which
 * reschedules itself to its next slot after each run. db-scheduler picks an instance on one process at a time, so a
 * district never runs twice at once through the scheduler; an overdue instance runs once, whatever it missed.
 */
public final class DistrictScheduler {
    private static final Logger log = LoggerFactory.getLogger(DistrictScheduler.class);
    static final String TASK = "homeroom-district-sync";
    /** How long a process leaves a district it does not know to the processes that do. */
    private static final Duration UNKNOWN_DISTRICT_DELAY = Duration.ofMinutes(10);

    private final SchedulerSettings settings;
    private final Store store;
    private final boolean ownsStore;
    private final Map<String, ScheduledDistrict> districts = new LinkedHashMap<>();
    private final Map<String, SyncEngine> engines = new LinkedHashMap<>();
    private final CustomTask<DistrictState> task;
    private final Scheduler scheduler;
    private volatile boolean started;

    public DistrictScheduler(SchedulerSettings settings, Store store, boolean ownsStore) {
        this.settings = settings;
        this.store = store;
        this.ownsStore = ownsStore;
        try {
            for (ScheduledDistrict d : settings.districts()) {
                districts.put(d.key(), d);
                SyncEngine.Builder b = SyncEngine.builder();
                d.engine().accept(b);
                engines.put(d.key(), b.dataSource(store.dataSource(), store.vendor()).build());
            }
        } catch (RuntimeException e) {
            engines.values().forEach(SyncEngine::close);
            throw e;
        }
        this.task = Tasks.custom(TASK, DistrictState.class)
                .onFailure(new Backoff())
                .execute(this::execute);
        this.scheduler = Scheduler.create(store.dataSource(), task)
                .clock(() -> settings.clock().instant())
                .schedulerName(settings::node)
                .threads(settings.threads())
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeatInterval())
                .shutdownMaxWait(settings.shutdownWait())
                .alwaysPersistTimestampInUTC()
                .enableImmediateExecution()
                .build();
    }

    public void start() {
        if (started) {
            return;
        }
        Instant now = settings.clock().instant();
        for (String key : districts.keySet()) {
            // a district new to the store runs at once (a full sync); one another process (or an earlier run) scheduled keeps its slot
            if (scheduler.scheduleIfNotExists(task.instance(key, DistrictState.NEW), now)) {
                log.info("HR-SCHED-100 district {} scheduled for its first run", key);
            }
        }
        scheduler.start();
        started = true;
    }

    public boolean syncNow(String key, SyncMode mode) {
        if (!districts.containsKey(key)) {
            throw new ConfigurationException("HR-SCHED-009", "no district '" + key + "' in this scheduler (known: "
                    + String.join(", ", districts.keySet()) + ")");
        }
        TaskInstanceId id = TaskInstanceId.of(TASK, key);
        Instant now = settings.clock().instant();
        Optional<ScheduledExecution<Object>> current = scheduler.getScheduledExecution(id);
        boolean moved;
        try {
            if (current.isEmpty()) {
                moved = scheduler.scheduleIfNotExists(task.instance(key, new DistrictState(null, mode.name())), now);
            } else if (current.get().isPicked()) {
                moved = false;
            } else {
                DistrictState state = state(current.get().getData());
                String requested = SyncMode.FULL.name().equals(state.requestedMode()) ? state.requestedMode() : mode.name();
                moved = scheduler.reschedule(id, now, new DistrictState(state.lastFullSlot(), requested));
            }
        } catch (RuntimeException e) {
            // picked by a process between our look and our change: that run goes on
            log.debug("syncNow of {} lost a race with a run starting: {}", key, e.toString());
            moved = false;
        }
        if (moved) {
            scheduler.triggerCheckForDueExecutions();
        }
        return moved;
    }

    public Optional<Instant> nextRun(String key) {
        return scheduler.getScheduledExecution(TaskInstanceId.of(TASK, key))
                .filter(e -> !e.isPicked())
                .map(ScheduledExecution::getExecutionTime);
    }

    public List<String> districtKeys() {
        return List.copyOf(districts.keySet());
    }

    public String node() {
        return settings.node();
    }

    public void close() {
        try {
            scheduler.stop();
        } finally {
            engines.values().forEach(SyncEngine::close);
            if (ownsStore) {
                store.close();
            }
        }
    }

    private static DistrictState state(Object data) {
        return data instanceof DistrictState s ? s : DistrictState.NEW;
    }

    private CompletionHandler<DistrictState> execute(TaskInstance<DistrictState> instance, ExecutionContext context) {
        String key = instance.getId();
        DistrictState state = state(instance.getData());
        Instant scheduledFor = context.getExecution().executionTime;
        int failuresBefore = context.getExecution().consecutiveFailures;
        ScheduledDistrict district = districts.get(key);
        if (district == null) {
            Instant later = settings.clock().instant().plus(UNKNOWN_DISTRICT_DELAY);
            log.warn("HR-SCHED-200 district '{}' is scheduled in the store but not known to this process ({}): left to the others"
                    + " until {}; give every process the same districts", key, settings.node(), later);
            return (done, ops) -> ops.reschedule(done, later, state);
        }
        Instant start = settings.clock().instant();
        Instant fullSlot = Slots.latestFull(district.schedule(), start);
        boolean fullDue = state.lastFullSlot() == null || state.lastFullSlot() < fullSlot.toEpochMilli();
        SyncMode mode = state.requestedMode() != null ? SyncMode.valueOf(state.requestedMode()) : fullDue ? SyncMode.FULL : SyncMode.INCREMENTAL;
        String trigger = state.requestedMode() != null ? "on-demand"
                : failuresBefore > 0 ? "retry"
                : Slots.nextAfter(district.schedule(), scheduledFor).isAfter(start) ? "schedule" : "catch-up";
        settings.listeners().forEach(l -> safely(() -> l.runStarted(key, mode, trigger)));

        SyncReport report;
        try {
            report = engines.get(key).sync(mode);
        } catch (RuntimeException e) {
            String why = e instanceof HomeroomException h ? h.getMessage() + " [" + h.code() + "]" : e.toString();
            throw new RunFailed(new ScheduledRun(key, mode, trigger, scheduledFor, start, null, why, failuresBefore + 1, null, settings.node()));
        }
        Instant end = settings.clock().instant();
        if (report.status() == SyncStatus.FAILED && "HR-SYNC-409".equals(report.failureCode())) {
            Instant retry = end.plus(settings.busyRetry());
            finished(new ScheduledRun(key, mode, trigger, scheduledFor, start, report, null, failuresBefore, retry, settings.node()));
            return (done, ops) -> ops.reschedule(done, retry, state);
        }
        if (report.status() == SyncStatus.FAILED) {
            throw new RunFailed(new ScheduledRun(key, mode, trigger, scheduledFor, start, report, null, failuresBefore + 1, null, settings.node()));
        }
        DistrictState next = new DistrictState(mode == SyncMode.FULL ? Long.valueOf(fullSlot.toEpochMilli()) : state.lastFullSlot(), null);
        Instant nextRun = Slots.nextAfter(district.schedule(), end);
        finished(new ScheduledRun(key, mode, trigger, scheduledFor, start, report, null, 0, nextRun, settings.node()));
        return (done, ops) -> ops.reschedule(done, nextRun, next);
    }

    private void finished(ScheduledRun run) {
        settings.listeners().forEach(l -> safely(() -> l.runFinished(run)));
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("HR-SCHED-201 a scheduler listener failed: {}", e.toString());
        }
    }

    /** A run that failed; carries what the listeners hear once the backoff is known. */
    private static final class RunFailed extends RuntimeException {
        final transient ScheduledRun run;

        RunFailed(ScheduledRun run) {
            super(run.oneLine(), null, false, false);
            this.run = run;
        }
    }

    /** Exponential backoff of a failing district: first, 2×first, 4×first … at most max; the others keep their slots. */
    private final class Backoff implements FailureHandler<DistrictState> {
        @Override
        public void onFailure(ExecutionComplete done, ExecutionOperations<DistrictState> ops) {
            int failures = done.getExecution().consecutiveFailures + 1;
            Duration delay = backoff(settings.firstBackoff(), settings.maxBackoff(), failures);
            Instant next = done.getTimeDone().plus(delay);
            // listeners hear the run before it is rescheduled, as they do for a run that succeeded
            if (done.getCause().orElse(null) instanceof RunFailed f) {
                ScheduledRun r = f.run;
                finished(new ScheduledRun(r.districtKey(), r.mode(), r.trigger(), r.scheduledFor(), r.startedAt(), r.report(), r.failure(),
                        failures, next, r.node()));
            } else {
                log.warn("HR-SCHED-202 district {} failed outside its run ({}); retried at {}", done.getExecution().taskInstance.getId(),
                        done.getCause().map(Throwable::toString).orElse("?"), next);
            }
            ops.reschedule(done, next);
        }
    }

    static Duration backoff(Duration first, Duration max, int failures) {
        Duration d = first;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
