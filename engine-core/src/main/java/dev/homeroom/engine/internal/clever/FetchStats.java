package dev.homeroom.engine.internal.clever;

import java.time.Duration;

/**
 * What one fetch cost.
 *
 * @param path the collection path fetched, e.g. {@code users} or {@code schools/{id}/users}
 * @param pages pages delivered to the sink
 * @param records records delivered
 * @param problems records reported as problems instead
 * @param bytes response body bytes read, including failed attempts
 * @param requests HTTP requests sent
 * @param retries attempts repeated after a retriable failure (includes 429s and 413 reductions)
 * @param rateLimited responses with status 429
 * @param budgetPauses waits taken because {@code X-RateLimit-Remaining} ran low
 * @param elapsed wall time of the fetch
 */
public record FetchStats(String path, long pages, long records, long problems, long bytes, long requests, long retries,
                         long rateLimited, long budgetPauses, Duration elapsed) {}
