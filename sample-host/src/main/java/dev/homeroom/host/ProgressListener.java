package dev.homeroom.host;

import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.spi.RecordKind;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress of a long run on a terminal: per kind, records fetched and decided, with the rate and, once the fetched
 * total is known, the time left to decide the rest. One line per kind, rewritten in place at most twice a second; off
 * under {@code --json} and when stdout is not a terminal, so scripts and logs never see it.
 */
final class ProgressListener implements SyncListener {
    private static final long REDRAW_NANOS = 500_000_000L;

    private final PrintWriter out;
    private final LongSupplier nanoTime;
    private final Map<RecordKind, Kind> kinds = new EnumMap<>(RecordKind.class);
    private RecordKind shown;
    private long lastDrawn = Long.MIN_VALUE;
    /** When anything last happened: a kind's fetch or decide phase is timed from the event before its first. */
    private long lastEvent = -1;

    private static final class Kind {
        long fetched;
        long decided;
        long fetchStarted = -1;
        long decideStarted = -1;
        long lastFetch;
        long lastDecide;
    }

    ProgressListener(PrintWriter out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
    }

    /** Whether a command shows progress: only for people at a terminal, never under --json. */
    static boolean wanted(boolean json, boolean stdoutIsTerminal) {
        return !json && stdoutIsTerminal;
    }

    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    @Override
    public synchronized void runStarted(String runId, String districtId, dev.homeroom.engine.SyncMode mode) {
        lastEvent = nanoTime.getAsLong();
    }

    private long since(long now) {
        long from = lastEvent < 0 ? now : lastEvent;
        lastEvent = now;
        return from;
    }

    @Override
    public synchronized void pageFetched(RecordKind kind, int records, int problems) {
        Kind k = kind(kind);
        long now = nanoTime.getAsLong();
        long from = since(now);
        if (k.fetchStarted < 0) {
            k.fetchStarted = from;
        }
        k.fetched += records;
        k.lastFetch = now;
        draw(kind, now, false);
    }

    @Override
    public synchronized void recordsDecided(RecordKind kind, int decided) {
        Kind k = kind(kind);
        long now = nanoTime.getAsLong();
        long from = since(now);
        if (k.decideStarted < 0) {
            k.decideStarted = from;
        }
        k.decided += decided;
        k.lastDecide = now;
        draw(kind, now, false);
    }

    @Override
    public synchronized void kindDecided(RecordKind kind, KindCounts counts) {
        Kind k = kind(kind);
        if (k.decided < counts.fetched()) {
            k.decided = counts.fetched(); // a pipeline that reports no batches still ends the kind at its total
        }
        long now = nanoTime.getAsLong();
        long from = since(now);
        if (k.decideStarted < 0) {
            k.decideStarted = from;
        }
        k.lastDecide = now;
        draw(kind, now, true);
        out.println();
        out.flush();
        shown = null;
    }

    @Override
    public synchronized void runFinished(dev.homeroom.engine.SyncReport report) {
        if (shown != null) {
            out.println();
            out.flush();
            shown = null;
        }
    }

    private Kind kind(RecordKind kind) {
        return kinds.computeIfAbsent(kind, x -> new Kind());
    }

    private void draw(RecordKind kind, long now, boolean force) {
        if (!force && shown == kind && now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        if (shown != null && shown != kind) {
            out.println();
        }
        out.print("\r" + line(kind, kinds.get(kind)) + "   ");
        out.flush();
        shown = kind;
        lastDrawn = now;
    }

    static String line(RecordKind kind, long fetched, double fetchSeconds, long decided, double decideSeconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-8s fetched %,d", kind.label() + "s", fetched));
        if (fetchSeconds > 0) {
            b.append(String.format(" (%,.0f/s)", fetched / fetchSeconds));
        }
        if (decided > 0) {
            b.append(String.format(" · decided %,d of %,d", decided, fetched));
            if (decideSeconds > 0) {
                double rate = decided / decideSeconds;
                b.append(String.format(" (%,.0f/s", rate));
                long left = Math.max(0, fetched - decided);
                b.append(left == 0 ? ", done)" : String.format(", %s left)", duration(left / rate)));
            }
        }
        return b.toString();
    }

    private static String line(RecordKind kind, Kind k) {
        return line(kind, k.fetched, seconds(k.fetchStarted, k.lastFetch), k.decided, seconds(k.decideStarted, k.lastDecide));
    }

    private static double seconds(long from, long to) {
        return from < 0 ? 0 : (to - from) / 1e9;
    }

    private static String duration(double seconds) {
        long s = Math.round(Math.ceil(seconds));
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }
}
