package dev.homeroom.host.schedule;

import dev.homeroom.engine.ScheduledRun;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Hears every scheduler of a test: the runs each district got, and whether a district ever ran twice at once (a run
 * started while another run of the same district, on any scheduler, had not finished).
 */
final class RunLog implements SyncScheduler.Listener {
    final Queue runs = new Queue();
    final List<String> overlaps = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    static final class Queue extends ConcurrentLinkedQueue<ScheduledRun> {}

    @Override
    public void runStarted(String districtKey, SyncMode mode, String trigger) {
        int n = inFlight.computeIfAbsent(districtKey, k -> new AtomicInteger()).incrementAndGet();
        if (n > 1) {
            overlaps.add(districtKey + " started a " + mode + " run while " + (n - 1) + " other run(s) of it were in progress");
        }
    }

    @Override
    public void runFinished(ScheduledRun run) {
        inFlight.get(run.districtKey()).decrementAndGet();
        runs.add(run);
    }

    List<ScheduledRun> of(String key) {
        return runs.stream().filter(r -> r.districtKey().equals(key)).sorted(java.util.Comparator.comparing(ScheduledRun::startedAt)).toList();
    }

    /**
     * Waits until no district is due or running at the clock's time {@code now}: every district is scheduled for later
     * (on any of the schedulers, which share one store).
     */
    static void awaitQuiet(SyncScheduler scheduler, Collection<String> keys, Instant now) {
        await(() -> keys.stream().allMatch(k -> {
            Optional<Instant> next = scheduler.nextRun(k);
            return next.isPresent() && next.get().isAfter(now);
        }), "every district ran what was due at " + now + " and is scheduled for later");
    }

    static void await(BooleanSupplier condition, String what) {
        // a bound for "stuck", not a speed: generous, so a loaded machine (CI beside other builds) does not fail it
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
