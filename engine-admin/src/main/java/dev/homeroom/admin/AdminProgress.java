package dev.homeroom.admin;

import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.spi.RecordKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * The live progress the console's progress page shows: a {@link SyncListener} the host adds to the engines it builds
 * ({@code SyncEngine.builder().listener(progress)}) and hands to {@link AdminConsole.Builder#progress}. It keeps the
 * latest run of each district: per kind, the records fetched and decided so far, and its counts once decided.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class AdminProgress implements SyncListener {
    /** One kind's progress in a run. */
    public record KindProgress(long fetched, long problems, long decided, KindCounts counts) {}

    /** A run in progress or just finished; {@code status} is null while it runs. */
    public record RunProgress(String runId, String districtId, String mode, Instant startedAt, Map<String, KindProgress> kinds,
                              String status) {}

    private static final class Live {
        final String runId;
        final String districtId;
        final String mode;
        final Instant startedAt = Instant.now();
        final Map<String, KindProgress> kinds = new LinkedHashMap<>();
        volatile String status;

        Live(String runId, String districtId, String mode) {
            this.runId = runId;
            this.districtId = districtId;
            this.mode = mode;
        }

        synchronized RunProgress snapshot() {
            return new RunProgress(runId, districtId, mode, startedAt, Map.copyOf(new LinkedHashMap<>(kinds)), status);
        }

        synchronized void update(RecordKind kind, java.util.function.UnaryOperator<KindProgress> change) {
            kinds.put(kind.label(), change.apply(kinds.getOrDefault(kind.label(), new KindProgress(0, 0, 0, null))));
        }
    }

    private final Map<String, Live> byDistrict = new ConcurrentHashMap<>();
    // listener callbacks come on the thread running the sync; a run's district is known from runStarted on
    private final ThreadLocal<Live> current = new ThreadLocal<>();

    @Override
    public void runStarted(String runId, String districtId, SyncMode mode) {
        Live live = new Live(runId, districtId, mode.label());
        current.set(live);
        byDistrict.put(districtId, live);
    }

    @Override
    public void pageFetched(RecordKind kind, int records, int problems) {
        Live live = current.get();
        if (live != null) {
            live.update(kind, p -> new KindProgress(p.fetched() + records, p.problems() + problems, p.decided(), p.counts()));
        }
    }

    @Override
    public void recordsDecided(RecordKind kind, int decided) {
        Live live = current.get();
        if (live != null) {
            live.update(kind, p -> new KindProgress(p.fetched(), p.problems(), p.decided() + decided, p.counts()));
        }
    }

    @Override
    public void kindDecided(RecordKind kind, KindCounts counts) {
        Live live = current.get();
        if (live != null) {
            live.update(kind, p -> new KindProgress(p.fetched(), p.problems(), p.decided(), counts));
        }
    }

    @Override
    public void runFinished(SyncReport report) {
        Live live = current.get();
        if (live != null) {
            live.status = report.status().name();
        }
        current.remove();
    }

    /** The latest run of the district this process saw start, if any. */
    public Optional<RunProgress> latest(String districtId) {
        return Optional.ofNullable(byDistrict.get(districtId)).map(Live::snapshot);
    }
}
