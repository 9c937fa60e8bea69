package dev.homeroom.engine.internal.clever;

import dev.homeroom.spi.HomeroomException;

/**
 * A failure talking to Clever. The message names the request path, never the token. {@link #retriable()} says whether
 * running the sync again later may succeed (5xx, resets, rate limits) or needs a person (401, 404, bad configuration).
 */
public class CleverApiException extends HomeroomException {
    /** The HTTP status that caused this, or 0 when there was no response (connection failure, bad configuration). */
    private final int httpStatus;

    public CleverApiException(String code, String message, boolean retriable, int httpStatus, Throwable cause) {
        super(code, message, retriable, cause);
        this.httpStatus = httpStatus;
    }

    public CleverApiException(String code, String message) {
        this(code, message, false, 0, null);
    }

    public int httpStatus() {
        return httpStatus;
    }

    static final String CONFIG = "HR-CLEVER-CONFIG";
    static final String UNAUTHORIZED = "HR-CLEVER-401";
    static final String FORBIDDEN = "HR-CLEVER-403";
    static final String NOT_FOUND = "HR-CLEVER-404";
    static final String TOO_LARGE = "HR-CLEVER-413";
    static final String CLIENT_ERROR = "HR-CLEVER-4XX";
    static final String UNAVAILABLE = "HR-CLEVER-UNAVAILABLE";
    static final String BAD_RESPONSE = "HR-CLEVER-BAD-RESPONSE";
    static final String NO_DISTRICT = "HR-CLEVER-NO-DISTRICT";
    static final String INTERRUPTED = "HR-CLEVER-INTERRUPTED";
    /** A collection whose pages end in a way that cannot be trusted to be its end (issue 8.2). */
    static final String INCOMPLETE = "HR-CLEVER-INCOMPLETE";
    /** Clever (or something in front of it) answered with a redirect; redirects are never followed (issue 8.6). */
    static final String REDIRECT = "HR-CLEVER-REDIRECT";
    /** The run's deadline passed before Clever's data was read (issue 8.7). */
    static final String DEADLINE = "HR-CLEVER-DEADLINE";
}
