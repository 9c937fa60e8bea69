package dev.homeroom.engine.internal.clever;

import java.time.Duration;

/**
 * Mutable counters of one fetch; attached to its requests as a tag so interceptors can count too. The page read ahead
 * ({@link PageAhead}) counts its requests on its own thread while the caller counts pages and records; the caller reads
 * the figures only after taking the page, which orders the writes.
 */
final class FetchCounters {
    final String path;
    final long startNanos = System.nanoTime();
    long pages;
    long records;
    long problems;
    long bytes;
    long requests;
    long retries;
    long rateLimited;
    long budgetPauses;

    FetchCounters(String path) {
        this.path = path;
    }

    FetchStats toStats() {
        return new FetchStats(path, pages, records, problems, bytes, requests, retries, rateLimited, budgetPauses,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
