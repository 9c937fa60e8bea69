package dev.homeroom.engine.internal;

import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreSession;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioned rows of each kind, and the memberships, active before a run: what its safety guard compares with.
 * Counting them reads every row of a district (at 1,000,000 students 0.4 s on PostgreSQL and several seconds on H2,
 * for each run, however few its events), so they are counted beside the run, on a connection of their own, while
 * the run fetches; the run has changed nothing yet when it asks for them, and the district is claimed, so what that
 * connection sees committed is what the run's own transaction saw at its start. When no second connection could be
 * had yet (the pool's others in use) or the count failed, the run counts in its own transaction, before its first
 * change. A revert counts in its own transaction ({@link #countNow}): it changes rows at once.
 */
final class ActiveBefore {
    private static final Logger log = LoggerFactory.getLogger(ActiveBefore.class);

    /** The counts. */
    record Counts(Map<RecordKind, Integer> byKind, long memberships) {}

    private final String districtId;
    private final FutureTask<Counts> aside;
    /** Who counts: set by the count beside the run once it has a connection, or by the run when it asks first. */
    private final AtomicBoolean claimed = new AtomicBoolean();
    private Counts counts;

    private ActiveBefore(String districtId, Store store) {
        this.districtId = districtId;
        this.aside = store == null ? null : new FutureTask<>(() -> store.transaction(
                s -> claimed.compareAndSet(false, true) ? countNow(s, districtId) : null));
    }

    /** Starts counting beside the run, on a connection of the store's own (null store: counted when first asked). */
    static ActiveBefore countAside(Store store, String districtId) {
        ActiveBefore before = new ActiveBefore(districtId, store);
        if (before.aside != null) {
            Thread thread = new Thread(before.aside, "homeroom-active-counts");
            thread.setDaemon(true);
            thread.start();
        }
        return before;
    }

    /**
     * The counts: the ones made beside the run, waited for once that count has its connection; else made now in the
     * run's own session (and the count beside it, when it gets a connection, finds it has nothing to do).
     */
    Counts get(StoreSession s) {
        if (counts == null && aside != null && !claimed.compareAndSet(false, true)) {
            try {
                counts = aside.get();
            } catch (ExecutionException e) {
                log.warn("HR-SYNC-109 counting the active rows beside the run failed ({}); counted in the run instead",
                        e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the active rows' count", e);
            }
        }
        if (counts == null) {
            counts = countNow(s, districtId);
        }
        return counts;
    }

    /** The counts, made now in this session. */
    static Counts countNow(StoreSession s, String districtId) {
        Map<RecordKind, Integer> byKind = new EnumMap<>(RecordKind.class);
        for (RecordKind kind : SyncPipeline.DECIDE_ORDER) {
            byKind.put(kind, s.provisioning().activeCount(districtId, kind));
        }
        return new Counts(byKind, s.provisioning().activeMembershipCount(districtId));
    }
}
