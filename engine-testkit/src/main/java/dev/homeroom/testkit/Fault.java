package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** A misbehaviour the simulator can answer a request with instead of (or on top of) the normal response. */
@API(status = EXPERIMENTAL)
public enum Fault {
    /** 429 with an empty body, {@code X-RateLimit-Remaining: 0} and {@code X-RateLimit-Reset} one second ahead. */
    TOO_MANY_REQUESTS,
    /** 500 with a JSON {@code {"message":...}} body. */
    INTERNAL_SERVER_ERROR,
    /** 502 with a JSON {@code {"message":...}} body. */
    BAD_GATEWAY,
    /** 503 with a JSON {@code {"message":...}} body. */
    SERVICE_UNAVAILABLE,
    /** 502 with a {@code text/html} body, as a proxy in front of the API sends it. */
    HTML_ERROR,
    /** A 200 with a chunked body whose first bytes arrive, then the connection is closed: the client's read fails. */
    CONNECTION_RESET,
    /** 200 with a {@code Content-Length} of the full page, half the bytes, then the connection closed: the client's read fails. */
    TRUNCATED_BODY,
    /** 200 whose (chunked, properly terminated) body stops halfway through the JSON: the HTTP read succeeds, parsing fails. */
    INCOMPLETE_JSON,
    /** The normal response after a delay ({@link Faults.Builder#slowDelay}). */
    SLOW,
    /**
     * A 200 whose headers come at once and whose body then drips one byte per {@link Faults.Builder#dripInterval}: every
     * read succeeds, the call never ends (for a client's overall call deadline).
     */
    SLOW_DRIP,
    /** 302 to the same path and query on {@link Faults.Builder#redirectTo} (another origin, for redirect checks). */
    REDIRECT,
    /** A list page with an empty {@code data[]} that still links the next page it would have linked. */
    EMPTY_PAGE_WITH_NEXT,
    /** A list page served whole but without its {@code next} link, as if the collection ended there. */
    PAGE_WITHOUT_NEXT,
    /**
     * A list page with one unreadable record spliced in before the others: nested 5,000 levels deep, with invalid UTF-8
     * in its name, and id {@link Faults#POISON_RECORD_ID}.
     */
    POISON_RECORD
}
