package dev.homeroom.engine.internal.clever;

import java.time.Duration;

/** Mutable counters of one fetch; attached to its requests as a tag so interceptors can count too. Single-threaded. */
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
