package dev.homeroom.engine.internal.clever;

import com.google.common.io.CountingInputStream;
import dev.homeroom.spi.District;
import dev.homeroom.spi.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one district's data from Clever's Data API v3.0, page by page, as a stream.
 *
 * <p>Each page reaches the sink only once it has been read and parsed completely; a page that fails (5xx, HTML body,
 * reset connection, truncated body, 429) is fetched again whole, with bounded retries and exponential backoff with
 * jitter. 401 fails at once; 413 halves {@code limit}. The token is sent only in the {@code Authorization} header and
 * never appears in logs, exceptions or {@code toString()}.
 *
 * <p>One fetch at a time per client is the intended use; the client itself is thread-safe to share.
 */
public final class CleverClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CleverClient.class);
    private static final String API = "v3.0";
    private static final Set<String> PAGING_PARAMS = Set.of("starting_after", "ending_before");

    private final CleverClientConfig config;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final CleverJson json;
    private final RateBudget budget;

    /** A client with its own connection pool, closed by {@link #close()}. */
    public CleverClient(CleverClientConfig config) {
        this(config, new OkHttpClient(), true);
    }

    /** A client sharing {@code base}'s connection pool and dispatcher; {@link #close()} leaves them open. */
    public CleverClient(CleverClientConfig config, OkHttpClient base) {
        this(config, base, false);
    }

    private CleverClient(CleverClientConfig config, OkHttpClient base, boolean ownsHttp) {
        this.config = Objects.requireNonNull(config, "config");
        this.ownsHttp = ownsHttp;
        this.json = new CleverJson(config.droppedStudentFields());
        this.budget = new RateBudget(config.rateLimitReserve(), config.maxRateLimitWait(), config.sleeper(), config.clock());
        String authorization = "Bearer " + config.token();
        this.http = base.newBuilder()
                // Our own retry loop re-fetches whole pages and counts attempts; OkHttp's silent retry would hide them.
                .retryOnConnectionFailure(false)
                // A redirect would carry the request (and a later next link) to whatever host it names: never follow one.
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(15, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS)
                // The read timeout is per read: a server dripping a byte every 20 s never trips it. This bounds the call.
                .callTimeout(config.callTimeout())
                .addInterceptor(budget)
                .addInterceptor(chain -> chain.proceed(
                        chain.request().newBuilder().header("Authorization", authorization).build()))
                .addInterceptor(new RedactingLogInterceptor())
                .build();
    }

    public CleverClientConfig config() {
        return config;
    }

    /** GET /v3.0/districts: the one district the token belongs to. */
    public District fetchDistrict() {
        List<District> found = new ArrayList<>(1);
        List<RecordProblem> problems = new ArrayList<>();
        fetchPath(RecordKind.DISTRICT, RecordKind.DISTRICT.path(), Map.of(), (kind, records, pageProblems) -> {
            records.forEach(record -> found.add((District) record.record()));
            problems.addAll(pageProblems);
        });
        if (found.isEmpty()) {
            String why = problems.isEmpty() ? "" : " (" + problems.get(0).reason() + ")";
            throw new CleverApiException(CleverApiException.NO_DISTRICT,
                    "Clever returned no usable district for this token" + why, false, 200, null);
        }
        return found.get(0);
    }

    /** Every record of a top-level collection: /schools, /terms, /courses, /sections, /users (and /districts). */
    public FetchStats fetchAll(RecordKind kind, PageSink sink) {
        return fetchPath(kind, kind.path(), Map.of(), sink);
    }

    /** /users?role=... ({@code contact}, {@code district_admin}, {@code staff}, {@code student}, {@code teacher}). */
    public FetchStats fetchUsers(String role, PageSink sink) {
        return fetchPath(RecordKind.USER, "users", role == null ? Map.of() : Map.of("role", role), sink);
    }

    /** /schools/{id}/users, optionally only users whose primary school it is, optionally one role. */
    public FetchStats fetchSchoolUsers(String schoolId, boolean primaryOnly, String role, PageSink sink) {
        Map<String, String> query = new LinkedHashMap<>();
        if (primaryOnly) {
            query.put("primary", "true");
        }
        if (role != null) {
            query.put("role", role);
        }
        return fetchPath(RecordKind.USER, "schools/" + id(schoolId) + "/users", query, sink);
    }

    /** /users/{id}/mystudents: the students of a teacher or contact. */
    public FetchStats fetchStudentsOf(String userId, PageSink sink) {
        return fetchPath(RecordKind.USER, "users/" + id(userId) + "/mystudents", Map.of(), sink);
    }

    /** /users/{id}/myteachers: the teachers of a student. */
    public FetchStats fetchTeachersOf(String userId, PageSink sink) {
        return fetchPath(RecordKind.USER, "users/" + id(userId) + "/myteachers", Map.of(), sink);
    }

    /** /users/{id}/mycontacts: the contacts of a student. */
    public FetchStats fetchContactsOf(String userId, PageSink sink) {
        return fetchPath(RecordKind.USER, "users/" + id(userId) + "/mycontacts", Map.of(), sink);
    }

    /** /courses/{id}/sections. */
    public FetchStats fetchCourseSections(String courseId, PageSink sink) {
        return fetchPath(RecordKind.SECTION, "courses/" + id(courseId) + "/sections", Map.of(), sink);
    }

    /** /sections/{id}/users, optionally one role ({@code student} or {@code teacher}). */
    public FetchStats fetchSectionUsers(String sectionId, String role, PageSink sink) {
        return fetchPath(RecordKind.USER, "sections/" + id(sectionId) + "/users",
                role == null ? Map.of() : Map.of("role", role), sink);
    }

    /**
     * Every record under {@code /v3.0/{path}} with the given query, following {@code next} links.
     *
     * @param path the path under {@code /v3.0/}, e.g. {@code schools/abc/users}; each segment is URL-encoded
     */
    public FetchStats fetchPath(RecordKind kind, String path, Map<String, String> query, PageSink sink) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sink, "sink");
        HttpUrl.Builder url = apiUrl(path);
        if (kind != RecordKind.DISTRICT) {
            // /districts takes no paging parameters.
            url.addQueryParameter("limit", Integer.toString(config.pageLimit()));
        }
        query.forEach(url::addQueryParameter);
        FetchCounters counters = new FetchCounters(path);
        followPages(url.build(), counters, true, body -> {
            CleverJson.RecordPage page = json.newPage(kind);
            String next = json.readEnvelope(body, page);
            page.records.replaceAll(r -> sink.prepare(kind, r));
            return new Parsed<>(page, next, page.records.size() + page.problems.size(), page.lastId);
        }, page -> {
            counters.records += page.records.size();
            counters.problems += page.problems.size();
            sink.page(kind, List.copyOf(page.records), List.copyOf(page.problems));
        });
        FetchStats stats = counters.toStats();
        LOG.debug("fetched {}: {} records, {} problems, {} pages, {} retries", path, stats.records(), stats.problems(),
                stats.pages(), stats.retries());
        return stats;
    }

    /**
     * Reads {@code /v3.0/events} after {@code startingAfter} (null: from the oldest event Clever keeps), only the given
     * record types (empty: all), delivering each page to {@code sink}. The returned cursor is the last event id seen;
     * the caller commits it only after applying the events. Event types the engine does not model (resources) are
     * skipped but still move the cursor.
     */
    public EventFetch fetchEvents(String startingAfter, Set<RecordKind> recordTypes, EventSink sink) {
        Objects.requireNonNull(sink, "sink");
        Set<RecordKind> wanted = recordTypes == null ? Set.of() : Set.copyOf(recordTypes);
        HttpUrl.Builder url = apiUrl("events").addQueryParameter("limit", Integer.toString(config.pageLimit()));
        if (startingAfter != null && !startingAfter.isBlank()) {
            url.addQueryParameter("starting_after", startingAfter);
        }
        wanted.stream().map(RecordKind::path).sorted().forEach(type -> url.addQueryParameter("record_type", type));
        FetchCounters counters = new FetchCounters("events");
        String[] cursor = {startingAfter};
        long[] delivered = {0};
        followPages(url.build(), counters, false, body -> {
            CleverJson.EventPage page = json.newEventPage(wanted);
            String next = json.readEnvelope(body, page);
            return new Parsed<>(page, next, page.events.size() + page.problems.size() + (int) page.skipped, page.lastId);
        }, page -> {
            counters.records += page.events.size();
            counters.problems += page.problems.size();
            sink.page(List.copyOf(page.events), List.copyOf(page.problems));
            delivered[0] += page.events.size();
            if (page.lastId != null) {
                cursor[0] = page.lastId;
            }
        });
        return new EventFetch(cursor[0], delivered[0], counters.toStats());
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "CleverClient[" + config + "]";
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A page as read: what it held, its next link, how many items it had, and the id of the last item. */
    private record Parsed<P>(P page, String next, int items, String lastId) {}

    @FunctionalInterface
    private interface BodyReader<P> {
        Parsed<P> read(InputStream body) throws IOException;
    }

    @FunctionalInterface
    private interface Delivery<P> {
        void deliver(P page);
    }

    private HttpUrl.Builder apiUrl(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.startsWith(API + "/")) {
            trimmed = trimmed.substring(API.length() + 1);
        }
        return config.baseUrl().newBuilder().encodedPath("/").addPathSegment(API).addPathSegments(trimmed);
    }

    private static String id(String id) {
        if (id == null || id.isBlank() || id.contains("/")) {
            throw new IllegalArgumentException("not a Clever id: " + id);
        }
        return id;
    }

    /**
     * Follows {@code next} links from {@code first}, delivering each page. Two kinds of last page are not trusted, since
     * deactivations follow from what a collection lacks: an empty page that still links a next page further on (it
     * cannot move the cursor, so it is read again once: records missing from it would otherwise be skipped), and a page
     * as full as its {@code limit} without a next link (probed by asking for the records after its last id). A probe that finds more goes on from there; one that cannot settle it fails the fetch,
     * retriable, so the run applies nothing. The events feed ends on an empty page with a next link by design, so for
     * it ({@code records} false) only the full-page probe applies.
     */
    private <P> void followPages(HttpUrl first, FetchCounters counters, boolean records, BodyReader<P> reader,
                                 Delivery<P> delivery) {
        Set<HttpUrl> visited = new HashSet<>();
        HttpUrl url = first;
        boolean probingEmpty = false;
        // While a page is delivered (the engine writes it to its store), the next one is fetched and parsed on a helper
        // thread: the two wait on different machines. One request at a time still, in the same order; a failure of the
        // page read ahead surfaces when the loop reaches it, after the page before it was delivered, as it would without.
        PageAhead<Fetched<P>> ahead = new PageAhead<>();
        try {
            while (url != null) {
                if (!visited.add(url)) {
                    throw new CleverApiException(CleverApiException.BAD_RESPONSE,
                            "Clever's next link repeats a page already read (" + describe(url) + "); stopping", true, 200, null);
                }
                HttpUrl requested = url;
                timeLeft(url); // a page read ahead is dropped once the run's deadline has passed, as it would not have been asked for
                Fetched<P> fetched = ahead.take(url, () -> fetchPage(requested, counters, reader));
                Parsed<P> parsed = fetched.parsed;
                if (parsed.items() > 0 && parsed.next() != null) {
                    HttpUrl next = nextUrl(fetched.url, parsed.next());
                    if (!visited.contains(next)) {
                        ahead.start(next, () -> fetchPage(next, counters, reader));
                    }
                }
                delivery.deliver(fetched.parsed.page());
                counters.pages++;
                if (parsed.items() == 0) {
                    if (parsed.next() == null || !records) {
                        return;
                    }
                    HttpUrl next = nextUrl(fetched.url, parsed.next());
                    if (visited.contains(next) || next.queryParameter("ending_before") == null
                            && Objects.equals(next.queryParameter("starting_after"), fetched.url.queryParameter("starting_after"))) {
                        return; // the empty page links itself: nothing lies beyond it
                    }
                    // An empty page cannot move the cursor; a next link that does claims records this page did not hold.
                    if (probingEmpty) {
                        throw new CleverApiException(CleverApiException.INCOMPLETE,
                                "Clever twice sent " + describe(fetched.url) + " back empty while linking a next page after "
                                        + next.queryParameter("starting_after") + ": the records between are missing, so the collection"
                                        + " cannot be read completely and nothing is applied. Try the sync again later", true, 200, null);
                    }
                    LOG.warn("HR-CLEVER-PROBE: {} came back empty but links a next page after {}; reading it again",
                            describe(fetched.url), next.queryParameter("starting_after"));
                    probingEmpty = true;
                    visited.remove(fetched.url);
                    url = fetched.url;
                    continue;
                }
                probingEmpty = false;
                if (parsed.next() != null) {
                    url = nextUrl(fetched.url, parsed.next());
                    continue;
                }
                int limit = limitParameter(fetched.url);
                if (limit < 1 || parsed.items() < limit) {
                    return;
                }
                if (parsed.lastId() == null) {
                    throw new CleverApiException(CleverApiException.INCOMPLETE,
                            "Clever sent a full page of " + limit + " without a next link (" + describe(fetched.url)
                                    + ") and no id to continue after: the collection cannot be read completely, so nothing is applied."
                                    + " Try the sync again later", true, 200, null);
                }
                LOG.warn("HR-CLEVER-PROBE: {} held a full page of {} but no next link; asking for what follows its last id {}",
                        describe(fetched.url), limit, parsed.lastId());
                url = fetched.url.newBuilder().removeAllQueryParameters("ending_before")
                        .setQueryParameter("starting_after", parsed.lastId()).build();
            }
        } finally {
            ahead.close();
        }
    }

    /** The request's {@code limit}, or -1 when it has none (unpaged, e.g. /districts). */
    private static int limitParameter(HttpUrl url) {
        String limit = url.queryParameter("limit");
        if (limit == null) {
            return -1;
        }
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Resolves a {@code next} link against the origin and carries over the request's filters (role, primary,
     * record_type, limit) in case Clever's link dropped them (unverified, NOTES.md 8.2).
     */
    HttpUrl nextUrl(HttpUrl requested, String next) {
        HttpUrl resolved = config.baseUrl().resolve(next);
        if (resolved == null) {
            throw new CleverApiException(CleverApiException.BAD_RESPONSE,
                    "Clever sent an unusable next link after " + describe(requested), false, 200, null);
        }
        if (!resolved.host().equals(config.baseUrl().host()) || resolved.port() != config.baseUrl().port()
                || !resolved.scheme().equals(config.baseUrl().scheme())) {
            // Never send the token to another origin.
            throw new CleverApiException(CleverApiException.BAD_RESPONSE,
                    "Clever's next link points to another host (" + resolved.host() + "); refusing to follow it", false, 200, null);
        }
        HttpUrl.Builder builder = resolved.newBuilder();
        for (String name : requested.queryParameterNames()) {
            if (!PAGING_PARAMS.contains(name) && resolved.queryParameterValues(name).isEmpty()) {
                for (String value : requested.queryParameterValues(name)) {
                    builder.addQueryParameter(name, value);
                }
            }
        }
        return builder.build();
    }

    private record Fetched<P>(HttpUrl url, Parsed<P> parsed) {}

    private <P> Fetched<P> fetchPage(HttpUrl url, FetchCounters counters, BodyReader<P> reader) {
        HttpUrl current = url;
        int failures = 0;
        int rateLimitedInRow = 0;
        Duration rateLimitWaited = Duration.ZERO;
        while (true) {
            Duration wait = null;
            String failure;
            Throwable cause = null;
            int status = 0;
            Duration left = timeLeft(current);
            Request request = new Request.Builder().url(current).get().tag(FetchCounters.class, counters).build();
            counters.requests++;
            okhttp3.Call call = http.newCall(request);
            if (left != null && left.compareTo(config.callTimeout()) < 0) {
                call.timeout().timeout(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
            }
            try (Response response = call.execute()) {
                status = response.code();
                ResponseBody body = response.body();
                if (response.isSuccessful()) {
                    MediaType type = body.contentType();
                    if (type != null && !type.subtype().contains("json")) {
                        failure = "Clever answered " + status + " with a " + type.type() + "/" + type.subtype()
                                + " body instead of JSON";
                    } else {
                        CountingInputStream in = new CountingInputStream(body.byteStream());
                        try {
                            Parsed<P> parsed = reader.read(in);
                            return new Fetched<>(current, parsed);
                        } finally {
                            counters.bytes += in.getCount();
                        }
                    }
                } else if (status == 401) {
                    throw new CleverApiException(CleverApiException.UNAUTHORIZED,
                            "Clever rejected the district token (401) on " + describe(current)
                                    + ": refresh the token or mark the district disconnected", false, 401, null);
                } else if (status == 413) {
                    int limit = limitOf(current);
                    if (limit <= 1) {
                        throw new CleverApiException(CleverApiException.TOO_LARGE,
                                "Clever answered 413 to " + describe(current) + " even with limit=1", false, 413, null);
                    }
                    int half = Math.max(1, limit / 2);
                    LOG.warn("HR-CLEVER-413: Clever refused limit={} on {}; retrying with limit={}", limit,
                            current.encodedPath(), half);
                    current = current.newBuilder().setQueryParameter("limit", Integer.toString(half)).build();
                    counters.retries++;
                    continue;
                } else if (status == 429) {
                    counters.rateLimited++;
                    rateLimitedInRow++;
                    wait = rateLimitWait(response);
                    if (wait == null) {
                        wait = rateLimitBackoff(rateLimitedInRow);
                    }
                    failure = "Clever rate limit hit (429)";
                } else if (status >= 300 && status < 400) {
                    String location = response.header("Location");
                    HttpUrl target = location == null ? null : current.resolve(location);
                    throw new CleverApiException(CleverApiException.REDIRECT,
                            "Clever answered " + status + " to " + describe(current) + " redirecting to "
                                    + (target == null ? "an unusable location" : origin(target))
                                    + "; redirects are never followed, so the token and the data stay with the configured origin "
                                    + origin(config.baseUrl()) + ". Check the Clever URL", false, status, null);
                } else if (status >= 500 && status != 501) {
                    failure = "Clever answered " + status;
                } else if (status == 404) {
                    throw new CleverApiException(CleverApiException.NOT_FOUND,
                            "Clever answered 404 to " + describe(current)
                                    + ": the resource is not shared with this token, or was deleted", false, 404, null);
                } else if (status == 403) {
                    throw new CleverApiException(CleverApiException.FORBIDDEN,
                            "Clever answered 403 to " + describe(current) + ": the token lacks access to it", false, 403, null);
                } else {
                    throw new CleverApiException(CleverApiException.CLIENT_ERROR,
                            "Clever answered " + status + " to " + describe(current), false, status, null);
                }
            } catch (IOException e) {
                // Reset connections, timeouts, truncated bodies and broken JSON: the whole page is fetched again.
                failure = "reading " + describe(current) + " failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " (" + firstLine(e.getMessage()) + ")");
                cause = e;
            }
            failures++;
            if (status != 429) {
                rateLimitedInRow = 0;
            }
            // Clever's rate-limit window is a minute: 429s are waited out for at least rateLimitPatience in all
            boolean patient = status == 429 && rateLimitWaited.compareTo(config.rateLimitPatience()) < 0
                    && rateLimitedInRow <= MAX_RATE_LIMITED_IN_ROW;
            if (failures > config.maxRetries() && !patient) {
                throw new CleverApiException(CleverApiException.UNAVAILABLE,
                        "Clever request " + describe(current) + " failed " + failures + " times"
                                + (status == 429 ? " (rate limited, after waiting " + rateLimitWaited.toSeconds() + " s in all)" : "")
                                + "; last: " + failure + ". Try the sync again later", true, status, cause);
            }
            Duration pause = wait != null ? wait : backoff(failures);
            Duration remaining = timeLeft(current);
            if (remaining != null && pause.compareTo(remaining) >= 0) {
                throw deadlinePassed(current, "waiting " + pause.toMillis() + " ms to retry after: " + failure, cause);
            }
            if (status == 429) {
                rateLimitWaited = rateLimitWaited.plus(pause);
            }
            LOG.warn("HR-CLEVER-RETRY: {}; attempt {} of {} in {} ms", failure, failures + 1, config.maxRetries() + 1,
                    pause.toMillis());
            counters.retries++;
            sleep(pause);
            if (wait != null) {
                budget.clear();
            }
        }
    }

    /** Time left before the configured deadline, or null when there is none; throws when it has passed. */
    private Duration timeLeft(HttpUrl url) {
        if (config.deadline() == null) {
            return null;
        }
        Duration left = Duration.between(config.clock().instant(), config.deadline());
        if (left.isNegative() || left.isZero()) {
            throw deadlinePassed(url, null, null);
        }
        return left;
    }

    private CleverApiException deadlinePassed(HttpUrl url, String doing, Throwable cause) {
        return new CleverApiException(CleverApiException.DEADLINE,
                "the run's deadline (" + config.deadline() + ") passed before " + describe(url) + " could be read"
                        + (doing == null ? "" : " (" + doing + ")") + "; nothing is applied. Try the sync again later, or allow"
                        + " a longer run (SyncEngine.builder().runTimeout(...))", true, 0, cause);
    }

    /** 429s in a row after which the client gives up whatever the patience, so a zero wait cannot spin forever. */
    private static final int MAX_RATE_LIMITED_IN_ROW = 30;

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    private static int limitOf(HttpUrl url) {
        String limit = url.queryParameter("limit");
        if (limit == null) {
            return 100; // Clever's default page size.
        }
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** The wait a 429 asks for: until {@code X-RateLimit-Reset}, or {@code Retry-After} if longer; null if it says neither. */
    Duration rateLimitWait(Response response) {
        Duration wait = null;
        Long reset = RateBudget.parseLong(response.header("X-RateLimit-Reset"));
        if (reset != null) {
            wait = Duration.between(config.clock().instant(), Instant.ofEpochSecond(reset));
        }
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null) {
            Long seconds = RateBudget.parseLong(retryAfter);
            Duration after = null;
            if (seconds != null) {
                after = Duration.ofSeconds(seconds);
            } else {
                java.util.Date date = response.headers().getDate("Retry-After");
                if (date != null) {
                    after = Duration.between(config.clock().instant(), date.toInstant());
                }
            }
            if (after != null && (wait == null || after.compareTo(wait) > 0)) {
                wait = after;
            }
        }
        if (wait == null) {
            return null;
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(config.maxRateLimitWait()) > 0 ? config.maxRateLimitWait() : wait;
    }

    /**
     * The wait after the {@code n}th 429 in a row that named no reset: exponential from {@code rateLimitBackoffBase} up to
     * {@code maxRateLimitWait}, with equal jitter, so clients sharing a token do not all come back in the same second.
     */
    Duration rateLimitBackoff(int n) {
        return jittered(config.rateLimitBackoffBase().toMillis(), config.maxRateLimitWait().toMillis(), n);
    }

    /** Exponential backoff with "equal jitter": half the step fixed, half random, so clients spread out. */
    Duration backoff(int failures) {
        return jittered(config.backoffBase().toMillis(), config.backoffMax().toMillis(), failures);
    }

    private static Duration jittered(long base, long max, int failures) {
        long step = base << Math.min(failures - 1, 20);
        if (step <= 0 || step > max) {
            step = max;
        }
        long half = step / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
    }

    private void sleep(Duration pause) {
        try {
            config.sleeper().sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CleverApiException(CleverApiException.INTERRUPTED, "interrupted while waiting to retry Clever",
                    true, 0, e);
        }
    }

    private static String origin(HttpUrl url) {
        return url.scheme() + "://" + url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port());
    }

    private static String describe(HttpUrl url) {
        String query = url.encodedQuery();
        return "GET " + url.encodedPath() + (query == null ? "" : "?" + query);
    }
}
