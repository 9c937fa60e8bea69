package dev.homeroom.engine.internal;

import dev.homeroom.engine.Stage;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** Time spent per stage of one run, summed over its pages and batches. Used by the run's own thread only. */
final class StageClock {
    private final long[] nanos = new long[Stage.values().length];

    void add(Stage stage, long elapsedNanos) {
        nanos[stage.ordinal()] += elapsedNanos;
    }

    long nanos(Stage stage) {
        return nanos[stage.ordinal()];
    }

    Map<Stage, Duration> durations() {
        Map<Stage, Duration> out = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            out.put(s, Duration.ofNanos(nanos[s.ordinal()]));
        }
        return out;
    }
}
