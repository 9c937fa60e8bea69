package dev.homeroom.engine.internal.clever;

/**
 * The result of reading the events feed.
 *
 * @param cursor the id of the last event delivered (the new cursor), or the cursor passed in when there were none; the
 *               caller stores it only after applying the events
 * @param events events delivered
 * @param stats what the fetch cost
 */
public record EventFetch(String cursor, long events, FetchStats stats) {}
