package dev.homeroom.engine.internal.clever;

import java.time.Duration;

/** How the client waits between attempts; tests pass one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
