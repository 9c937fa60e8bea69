package dev.homeroom.engine.internal;

import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.spi.DecidedBatch;
import dev.homeroom.spi.DecidedRecord;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.KindOutcome;
import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RunEnd;
import dev.homeroom.spi.RunListener;
import dev.homeroom.spi.RunStart;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine {@link SyncListener} that passes a run's start, each kind's decisions and its end to the
 * {@link RunListener}s of the plugins that apply to the run's district, and to no other plugin. The plugins are chosen
 * when the run starts ({@link PluginRegistry#forDistrict}) and remembered for the thread running it, as every call of a
 * run comes on that thread; runs of different districts on other threads hear only their own plugins. A listener that
 * throws is logged ({@code HR-PLUGIN-012}) and the run carries on.
 */
final class PluginListeners implements SyncListener {
    private static final Logger log = LoggerFactory.getLogger(PluginListeners.class);

    /** The plugin listeners of the run on this thread, with the context each plugin gets for it. */
    private record Bound(String plugin, PluginContext context, List<RunListener> listeners) {}

    private record Run(String runId, String districtId, List<Bound> bound, List<Bound> hearDecisions) {}

    private final PluginRegistry registry;
    private final ThreadLocal<Run> current = new ThreadLocal<>();

    PluginListeners(PluginRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void runStarted(String runId, String districtId, SyncMode mode) {
        List<Bound> bound = new ArrayList<>();
        List<DistrictPlugin> active;
        try {
            active = registry.forDistrict(districtId);
        } catch (RuntimeException e) {
            active = List.of(); // the pipeline asked first and fails the run itself
        }
        for (DistrictPlugin p : active) {
            try {
                List<RunListener> own = List.copyOf(p.runListeners());
                if (!own.isEmpty()) {
                    bound.add(new Bound(p.name(), registry.contextFor(p, districtId), own));
                }
            } catch (RuntimeException | LinkageError e) {
                log.warn("HR-PLUGIN-012 plugin '{}' failed to list its run listeners: {}; run {} carries on without them", p.name(), e, runId);
            }
        }
        if (bound.isEmpty()) {
            current.remove();
            return;
        }
        List<Bound> hear = new ArrayList<>();
        for (Bound b : bound) {
            List<RunListener> wanting = new ArrayList<>();
            for (RunListener l : b.listeners()) {
                try {
                    if (l.hearsDecisions()) {
                        wanting.add(l);
                    }
                } catch (RuntimeException | LinkageError e) {
                    log.warn("HR-PLUGIN-012 a run listener of plugin '{}' failed to say whether it hears decisions: {}; run {} carries on",
                            b.plugin(), e, runId);
                }
            }
            if (!wanting.isEmpty()) {
                hear.add(new Bound(b.plugin(), b.context(), List.copyOf(wanting)));
            }
        }
        current.set(new Run(runId, districtId, List.copyOf(bound), List.copyOf(hear)));
        RunStart start = new RunStart(runId, districtId, mode.label());
        each("runStarted", runId, (b, l) -> l.runStarted(b.context(), start));
    }

    /** Whether a plugin listener of the run on this thread wants each batch's decisions: if not, none are built. */
    boolean hearsDecisions() {
        Run run = current.get();
        return run != null && !run.hearDecisions().isEmpty();
    }

    /** Tells the listeners that want them one decide batch's decisions. */
    void batchDecided(RecordKind kind, List<DecidedRecord> decisions) {
        Run run = current.get();
        if (run == null || run.hearDecisions().isEmpty()) {
            return;
        }
        DecidedBatch batch = new DecidedBatch(run.runId(), run.districtId(), kind, decisions);
        each(run.hearDecisions(), "batchDecided", run.runId(), (b, l) -> l.batchDecided(b.context(), batch));
    }

    @Override
    public void kindDecided(RecordKind kind, KindCounts c) {
        Run run = current.get();
        if (run != null) {
            KindOutcome outcome = new KindOutcome(run.runId(), kind, c.fetched(), c.created(), c.updated(), c.unchanged(), c.skipped(),
                    c.deactivated(), c.reactivated(), c.errors());
            each("kindDecided", run.runId(), (b, l) -> l.kindDecided(b.context(), outcome));
        }
    }

    @Override
    public void runFinished(SyncReport r) {
        Run run = current.get();
        if (run == null || !run.runId().equals(r.runId())) {
            return; // a run that failed before it started (or had no plugin listeners) has nothing to tell them
        }
        try {
            RunEnd end = new RunEnd(r.runId(), r.districtId(), r.mode().label(), r.status().name(), r.startedAt(), r.finishedAt(),
                    r.warnings(), r.errors(), r.skippedByRule(), r.deactivatedByRule(), r.failure());
            each("runFinished", r.runId(), (b, l) -> l.runFinished(b.context(), end));
        } finally {
            current.remove();
        }
    }

    private void each(String event, String runId, java.util.function.BiConsumer<Bound, RunListener> call) {
        each(current.get().bound(), event, runId, call);
    }

    private static void each(List<Bound> listeners, String event, String runId, java.util.function.BiConsumer<Bound, RunListener> call) {
        for (Bound b : listeners) {
            for (RunListener l : b.listeners()) {
                try {
                    call.accept(b, l);
                } catch (RuntimeException | LinkageError e) {
                    log.warn("HR-PLUGIN-012 a run listener of plugin '{}' failed on {} of run {}: {}; the run carries on", b.plugin(), event,
                            runId, e.toString());
                }
            }
        }
    }
}
