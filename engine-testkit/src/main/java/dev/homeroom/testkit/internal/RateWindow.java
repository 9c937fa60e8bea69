package dev.homeroom.testkit.internal;

/** Clever's per-token budget: a count per wall-clock minute, reset at the minute boundary (not an average). */
final class RateWindow {
    private final int limit;
    private long windowStart = -1;
    private int used;

    RateWindow(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Counts one request; returns {remaining after it (may be negative when over), reset epoch second}. */
    synchronized long[] hit(long nowMillis) {
        long minute = nowMillis / 60_000 * 60;
        if (minute != windowStart) {
            windowStart = minute;
            used = 0;
        }
        used++;
        return new long[] {limit - used, windowStart + 60};
    }
}
