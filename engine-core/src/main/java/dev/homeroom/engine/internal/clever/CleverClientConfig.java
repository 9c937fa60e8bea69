package dev.homeroom.engine.internal.clever;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * How to reach one district's Clever data. Immutable; built by {@link #builder()}, which validates each value and fails
 * with a one-line message saying what to change.
 *
 * @param baseUrl API origin, default {@code https://api.clever.com}; the client appends {@code /v3.0/...}
 * @param token the district bearer token; masked in {@link #toString()}
 * @param pageLimit {@code limit} sent on every list request (1..10000)
 * @param maxRetries retries per request after a retriable failure (5xx, HTML body, reset, truncation, 429)
 * @param backoffBase first backoff wait; doubled per attempt, with jitter, up to {@code backoffMax}
 * @param backoffMax longest backoff wait
 * @param maxRateLimitWait longest wait honoured from {@code X-RateLimit-Reset}/{@code Retry-After}
 * @param rateLimitReserve requests kept in hand: when {@code X-RateLimit-Remaining} falls to this, wait for the reset
 * @param droppedStudentFields student fields removed from records and their JSON before anything else sees them
 * @param sleeper how waits happen (tests record them instead)
 * @param clock the clock {@code X-RateLimit-Reset} and the deadline are compared with
 * @param callTimeout the longest one HTTP call may take, from connecting to the last byte of its body (OkHttp's
 *     {@code callTimeout}): a server that drips bytes cannot hold a call longer than this
 * @param deadline when the whole fetch must be done, or null for none: no request (or retry wait) starts after it, and
 *     a call in flight is cut at it
 * @param rateLimitBackoffBase first wait after a 429 that says nothing of when to come back; doubled per 429, with jitter,
 *     up to {@code maxRateLimitWait}
 * @param rateLimitPatience 429s are retried, beyond {@code maxRetries}, until this much was waited for them in all
 *     (Clever's rate-limit window is a minute)
 */
public record CleverClientConfig(
        HttpUrl baseUrl,
        String token,
        int pageLimit,
        int maxRetries,
        Duration backoffBase,
        Duration backoffMax,
        Duration maxRateLimitWait,
        int rateLimitReserve,
        Set<String> droppedStudentFields,
        Sleeper sleeper,
        Clock clock,
        Duration callTimeout,
        java.time.Instant deadline,
        Duration rateLimitBackoffBase,
        Duration rateLimitPatience) {

    public static final String DEFAULT_BASE_URL = "https://api.clever.com";
    public static final int MAX_PAGE_LIMIT = 10_000;
    /** The default bound on one call, body included: a 10,000-record page takes seconds, a dripping server forever. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(5);
    /** Sensitive v3.1 student fields (P20): dropped at fetch unless the product enables them. */
    public static final Set<String> DEFAULT_DROPPED_STUDENT_FIELDS = Set.of(
            "iep_status", "ell_status", "frl_status", "gifted_status", "section_504_status", "disability",
            "home_language", "home_language_code");

    public CleverClientConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        requireSafeScheme(baseUrl);
        if (token == null || token.isBlank()) {
            throw new CleverApiException(CleverApiException.CONFIG, "Clever token is missing: set the district's bearer token");
        }
        if (pageLimit < 1 || pageLimit > MAX_PAGE_LIMIT) {
            throw new CleverApiException(CleverApiException.CONFIG,
                    "Clever page limit " + pageLimit + " is out of range: use 1 to " + MAX_PAGE_LIMIT);
        }
        if (maxRetries < 0) {
            throw new CleverApiException(CleverApiException.CONFIG, "Clever maxRetries must be 0 or more, was " + maxRetries);
        }
        requirePositive(backoffBase, "backoffBase");
        requirePositive(backoffMax, "backoffMax");
        requirePositive(maxRateLimitWait, "maxRateLimitWait");
        if (rateLimitReserve < 0) {
            throw new CleverApiException(CleverApiException.CONFIG, "Clever rateLimitReserve must be 0 or more");
        }
        droppedStudentFields = Set.copyOf(droppedStudentFields == null ? Set.of() : droppedStudentFields);
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(clock, "clock");
        requirePositive(callTimeout, "callTimeout");
        if (callTimeout.isZero()) {
            throw new CleverApiException(CleverApiException.CONFIG, "Clever callTimeout must be positive (it bounds every call)");
        }
        requirePositive(rateLimitBackoffBase, "rateLimitBackoffBase");
        requirePositive(rateLimitPatience, "rateLimitPatience");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().baseUrl(baseUrl).token(token).pageLimit(pageLimit).maxRetries(maxRetries)
                .backoff(backoffBase, backoffMax).maxRateLimitWait(maxRateLimitWait).rateLimitReserve(rateLimitReserve)
                .droppedStudentFields(droppedStudentFields).sleeper(sleeper).clock(clock).callTimeout(callTimeout)
                .deadline(deadline).rateLimitBackoff(rateLimitBackoffBase, rateLimitPatience);
    }

    @Override
    public String toString() {
        return "CleverClientConfig[baseUrl=" + baseUrl + ", token=****, pageLimit=" + pageLimit + ", maxRetries="
                + maxRetries + ", backoffBase=" + backoffBase + ", backoffMax=" + backoffMax + ", maxRateLimitWait="
                + maxRateLimitWait + ", rateLimitReserve=" + rateLimitReserve + ", droppedStudentFields="
                + droppedStudentFields + ", callTimeout=" + callTimeout + ", deadline=" + deadline + ", rateLimitBackoffBase="
                + rateLimitBackoffBase + ", rateLimitPatience=" + rateLimitPatience + "]";
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new CleverApiException(CleverApiException.CONFIG, "Clever " + name + " must be zero or positive");
        }
    }

    private static void requireSafeScheme(HttpUrl url) {
        if (url.isHttps() || isLoopback(url.host())) {
            return;
        }
        throw new CleverApiException(CleverApiException.CONFIG,
                "Clever base URL " + url.scheme() + "://" + url.host() + " uses plain http: use https (http is allowed only for loopback hosts)");
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        // Only IP literals are checked; a host name other than localhost is never resolved to decide.
        if (!h.contains(":") && !h.matches("[0-9.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Builds a validated {@link CleverClientConfig}. */
    public static final class Builder {
        private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);
        private String token;
        private int pageLimit = MAX_PAGE_LIMIT;
        private int maxRetries = 6;
        private Duration backoffBase = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(30);
        private Duration maxRateLimitWait = Duration.ofSeconds(90);
        private int rateLimitReserve = 5;
        private Set<String> droppedStudentFields = DEFAULT_DROPPED_STUDENT_FIELDS;
        private Sleeper sleeper = Sleeper.REAL;
        private Clock clock = Clock.systemUTC();
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private java.time.Instant deadline;
        private Duration rateLimitBackoffBase = Duration.ofSeconds(2);
        private Duration rateLimitPatience = Duration.ofSeconds(60);

        private Builder() {}

        public Builder baseUrl(HttpUrl url) {
            this.baseUrl = Objects.requireNonNull(url, "baseUrl");
            return this;
        }

        public Builder baseUrl(String url) {
            HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
            if (parsed == null) {
                throw new CleverApiException(CleverApiException.CONFIG,
                        "Clever base URL '" + url + "' is not an http(s) URL: use e.g. " + DEFAULT_BASE_URL);
            }
            return baseUrl(parsed);
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder pageLimit(int pageLimit) {
            this.pageLimit = pageLimit;
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = base;
            this.backoffMax = max;
            return this;
        }

        public Builder maxRateLimitWait(Duration maxWait) {
            this.maxRateLimitWait = maxWait;
            return this;
        }

        public Builder rateLimitReserve(int reserve) {
            this.rateLimitReserve = reserve;
            return this;
        }

        /** Replaces the set of student fields dropped at fetch. */
        public Builder droppedStudentFields(Set<String> fields) {
            this.droppedStudentFields = fields;
            return this;
        }

        /** Keeps these sensitive fields (the product enabled them): they are removed from the dropped set. */
        public Builder keepStudentFields(Set<String> enabled) {
            Set<String> dropped = new LinkedHashSet<>(droppedStudentFields);
            dropped.removeAll(enabled);
            this.droppedStudentFields = dropped;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The longest one call may take, body included (default 5 minutes). */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /** When the whole fetch must be done (null: no deadline). */
        public Builder deadline(java.time.Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        /** How 429s without a reset header back off: first wait, and the least waited in all before giving up. */
        public Builder rateLimitBackoff(Duration base, Duration patience) {
            this.rateLimitBackoffBase = base;
            this.rateLimitPatience = patience;
            return this;
        }

        public CleverClientConfig build() {
            return new CleverClientConfig(baseUrl, token, pageLimit, maxRetries, backoffBase, backoffMax, maxRateLimitWait,
                    rateLimitReserve, droppedStudentFields, sleeper, clock, callTimeout, deadline, rateLimitBackoffBase,
                    rateLimitPatience);
        }
    }
}
