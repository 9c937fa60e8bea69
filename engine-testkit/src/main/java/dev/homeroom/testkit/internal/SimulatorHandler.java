package dev.homeroom.testkit.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.homeroom.testkit.Fault;
import dev.homeroom.testkit.Faults;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves Clever's v3.0 Data and Events API for whatever district state the supplier returns. */
public final class SimulatorHandler implements HttpHandler {

    /** What one request sees: a district state and (lazily) its events feed. */
    public record State(DistrictModel model, Supplier<EventFeed> events) {}

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorHandler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String API = "/v3.0";
    public static final int MAX_LIMIT = 10_000;
    private static final int DEFAULT_LIMIT = 100;
    private static final Set<String> USER_ROLES = Set.of("student", "teacher", "staff", "district_admin", "contact");
    private static final Set<String> SCHOOL_USER_ROLES = Set.of("student", "teacher", "staff");

    private final Supplier<State> state;
    private final String token;
    private final Faults faults;
    private final RateWindow rate;
    private final boolean enforceRateLimit;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong faultsInjected = new AtomicLong();

    public SimulatorHandler(Supplier<State> state, String token, Faults faults, int rateLimit, boolean enforceRateLimit) {
        this.state = state;
        this.token = token;
        this.faults = faults;
        this.rate = new RateWindow(rateLimit);
        this.enforceRateLimit = enforceRateLimit;
    }

    public long requestCount() {
        return requests.get();
    }

    public long faultsInjected() {
        return faultsInjected.get();
    }

    /** Thrown to make the server drop the connection without finishing the response. */
    private static final class DropConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DropConnection(String why) {
            super(why, null, false, false);
        }
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        long n = requests.incrementAndGet();
        try {
            serve(ex, n);
            ex.close();
        } catch (DropConnection d) {
            LOG.debug("request {} {}: dropping the connection ({})", n, ex.getRequestURI(), d.getMessage());
            throw d; // the JDK server closes the socket on an exception from a handler
        } catch (IOException e) {
            LOG.debug("request {}: client went away: {}", n, e.toString());
            ex.close();
        } catch (RuntimeException e) {
            LOG.warn("request {} {} failed in the simulator", n, ex.getRequestURI(), e);
            throw e;
        }
    }

    private void serve(HttpExchange ex, long n) throws IOException {
        drain(ex);
        String path = ex.getRequestURI().getRawPath();
        long[] budget = rate.hit(System.currentTimeMillis());
        Headers h = ex.getResponseHeaders();
        h.set("X-RateLimit-Limit", String.valueOf(rate.limit()));
        h.set("X-RateLimit-Remaining", String.valueOf(Math.max(0, budget[0])));
        h.set("X-RateLimit-Reset", String.valueOf(budget[1]));
        h.set("X-RateLimit-Bucket", "bearer");
        h.set("X-Request-Id", "sim-" + n);

        Fault fault = faults.forRequest(n, path).orElse(null);
        if (fault != null) {
            faultsInjected.incrementAndGet();
            LOG.debug("request {} {} gets fault {}", n, path, fault);
            switch (fault) {
                case TOO_MANY_REQUESTS -> {
                    h.set("X-RateLimit-Remaining", "0");
                    h.set("X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000 + 1));
                    ex.sendResponseHeaders(429, -1);
                    return;
                }
                case INTERNAL_SERVER_ERROR -> {
                    json(ex, 500, "Internal Server Error");
                    return;
                }
                case BAD_GATEWAY -> {
                    json(ex, 502, "Bad Gateway");
                    return;
                }
                case SERVICE_UNAVAILABLE -> {
                    json(ex, 503, "Service Unavailable");
                    return;
                }
                case HTML_ERROR -> {
                    html(ex, 502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                            + "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n");
                    return;
                }
                case CONNECTION_RESET -> {
                    // mid-response, so no client can silently retry it as a stale connection
                    h.set("Content-Type", "application/json; charset=utf-8");
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write("{\"data\":[{\"data\":{\"id\":\"".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    throw new DropConnection("connection reset fault");
                }
                case SLOW -> sleep(faults.slowDelay().toMillis());
                case REDIRECT -> {
                    String query = ex.getRequestURI().getRawQuery();
                    h.set("Location", faults.redirectTo().resolve(path + (query == null ? "" : "?" + query)).toString());
                    ex.sendResponseHeaders(302, -1);
                    return;
                }
                default -> { } // body faults are applied when the body is written
            }
        }

        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + token)) {
            json(ex, 401, "Unauthorized");
            return;
        }
        if (enforceRateLimit && budget[0] < 0) {
            ex.sendResponseHeaders(429, -1);
            return;
        }
        if (!"GET".equals(ex.getRequestMethod())) {
            cannot(ex);
            return;
        }
        route(ex, path, fault);
    }

    private static void drain(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- routing

    private void route(HttpExchange ex, String path, Fault fault) throws IOException {
        if (!path.startsWith(API + "/")) {
            cannot(ex);
            return;
        }
        String[] seg = path.substring(API.length() + 1).split("/", -1);
        Map<String, List<String>> q = query(ex.getRequestURI().getRawQuery());
        State st = state.get();
        DistrictModel m = st.model();
        String coll = seg[0];
        int kind = switch (coll) {
            case "districts" -> DistrictModel.DISTRICT;
            case "schools" -> DistrictModel.SCHOOL;
            case "terms" -> DistrictModel.TERM;
            case "courses" -> DistrictModel.COURSE;
            case "sections" -> DistrictModel.SECTION;
            case "users" -> 0;
            case "events" -> DistrictModel.EVENT;
            default -> -1;
        };
        if (kind < 0 || seg.length > 3 || Arrays.stream(seg).anyMatch(String::isEmpty)) {
            cannot(ex);
            return;
        }
        if (kind == DistrictModel.EVENT) {
            events(ex, st, seg, q, fault);
            return;
        }
        if (seg.length == 1) {
            KeySource src;
            List<String> kept = new ArrayList<>();
            if (kind == 0) {
                String role = first(q, "role");
                if (role == null) {
                    src = m.allUsers();
                } else if (!USER_ROLES.contains(role)) {
                    json(ex, 400, "role must be one of contact, district_admin, staff, student, teacher");
                    return;
                } else {
                    src = m.usersWithRole(role);
                    kept.add("role=" + enc(role));
                }
            } else {
                src = m.collectionSource(kind);
            }
            list(ex, path, kept, q, src, m::render, m, fault, kind == DistrictModel.DISTRICT);
            return;
        }
        long key = m.keyOf(seg[1]);
        boolean ok = key >= 0 && m.exists(key)
                && (kind == 0 ? DistrictModel.isUser(DistrictModel.kindOf(key)) : DistrictModel.kindOf(key) == kind);
        if (!ok) {
            json(ex, 404, "Resource not found");
            return;
        }
        if (seg.length == 2) {
            single(ex, m, key, fault);
            return;
        }
        sub(ex, path, m, DistrictModel.kindOf(key), DistrictModel.indexOf(key), seg[2], q, fault);
    }

    private void sub(HttpExchange ex, String path, DistrictModel m, int kind, long i, String sub,
            Map<String, List<String>> q, Fault fault) throws IOException {
        List<String> kept = new ArrayList<>();
        KeySource src = null;
        long singleKey = -1;
        if (sub.equals("district")) {
            singleKey = KeySource.key(DistrictModel.DISTRICT, 0);
        } else if (kind == DistrictModel.SCHOOL) {
            int sc = (int) i;
            switch (sub) {
                case "users" -> {
                    String role = first(q, "role");
                    String primary = first(q, "primary");
                    if (role != null && !SCHOOL_USER_ROLES.contains(role)) {
                        json(ex, 400, "role must be one of staff, student, teacher");
                        return;
                    }
                    if (primary != null && !primary.isEmpty() && !primary.equals("true")) {
                        json(ex, 400, "primary must be \"true\" or empty");
                        return;
                    }
                    if (role != null) kept.add("role=" + enc(role));
                    if (primary != null) kept.add("primary=" + enc(primary));
                    src = m.schoolUsers(sc, role, "true".equals(primary));
                }
                case "sections" -> src = m.sectionsOfSchool(sc);
                case "courses" -> {
                    DistrictModel.LongList keys = new DistrictModel.LongList();
                    for (long s = (long) sc * m.M; s < (long) (sc + 1) * m.M; s++) {
                        long c = m.sectionCourse(s);
                        if (c >= 0) keys.add(KeySource.key(DistrictModel.COURSE, c));
                    }
                    src = KeySource.of(distinct(keys.sorted()));
                }
                case "terms" -> {
                    DistrictModel.LongList keys = new DistrictModel.LongList();
                    for (long s = (long) sc * m.M; s < (long) (sc + 1) * m.M; s++) {
                        long t = m.sectionTerm(s);
                        if (m.termExists(t)) keys.add(KeySource.key(DistrictModel.TERM, t));
                    }
                    src = KeySource.of(distinct(keys.sorted()));
                }
                default -> { }
            }
        } else if (kind == DistrictModel.SECTION) {
            switch (sub) {
                case "users" -> {
                    String role = first(q, "role");
                    if (role != null && !role.equals("student") && !role.equals("teacher")) {
                        json(ex, 400, "role must be one of student, teacher");
                        return;
                    }
                    if (role != null) kept.add("role=" + enc(role));
                    DistrictModel.LongList keys = new DistrictModel.LongList();
                    if (role == null || role.equals("student")) for (long s : m.sectionStudents(i)) keys.add(KeySource.key(DistrictModel.STUDENT, s));
                    if (role == null || role.equals("teacher")) for (long t : m.sectionTeachers(i)) keys.add(KeySource.key(DistrictModel.TEACHER, t));
                    src = KeySource.of(keys.sorted());
                }
                case "course" -> singleKey = m.sectionCourse(i) >= 0 ? KeySource.key(DistrictModel.COURSE, m.sectionCourse(i)) : -2;
                case "term" -> singleKey = m.termExists(m.sectionTerm(i)) ? KeySource.key(DistrictModel.TERM, m.sectionTerm(i)) : -2;
                case "school" -> singleKey = KeySource.key(DistrictModel.SCHOOL, i / m.M);
                default -> { }
            }
        } else if (kind == DistrictModel.COURSE) {
            switch (sub) {
                case "sections" -> src = m.sectionsOfCourse(i);
                case "schools" -> {
                    DistrictModel.LongList keys = new DistrictModel.LongList();
                    for (int sc : m.courseSchools(i)) keys.add(KeySource.key(DistrictModel.SCHOOL, sc));
                    src = KeySource.of(keys.sorted());
                }
                default -> { }
            }
        } else if (kind == DistrictModel.TERM) {
            switch (sub) {
                case "sections" -> src = m.sectionsOfTerm(i);
                case "schools" -> {
                    DistrictModel.LongList keys = new DistrictModel.LongList();
                    for (int sc = 0; sc < m.S; sc++) keys.add(KeySource.key(DistrictModel.SCHOOL, sc));
                    src = KeySource.of(keys.sorted());
                }
                default -> { }
            }
        } else if (DistrictModel.isUser(kind)) {
            src = userSub(m, kind, i, sub, q, kept);
        }
        if (singleKey == -2) {
            json(ex, 404, "Resource not found");
        } else if (singleKey >= 0) {
            single(ex, m, singleKey, fault);
        } else if (src != null) {
            list(ex, path, kept, q, src, m::render, m, fault, false);
        } else {
            cannot(ex);
        }
    }

    private KeySource userSub(DistrictModel m, int kind, long i, String sub, Map<String, List<String>> q, List<String> kept) {
        DistrictModel.LongList keys = new DistrictModel.LongList();
        switch (sub) {
            case "sections" -> {
                long[] sections = kind == DistrictModel.STUDENT ? m.studentSections(i)
                        : kind == DistrictModel.TEACHER ? m.teacherSections(i) : new long[0];
                for (long s : sections) keys.add(KeySource.key(DistrictModel.SECTION, s));
            }
            case "mystudents" -> {
                if (kind == DistrictModel.TEACHER) {
                    for (long s : m.teacherSections(i)) for (long st : m.sectionStudents(s)) keys.add(KeySource.key(DistrictModel.STUDENT, st));
                } else if (kind == DistrictModel.CONTACT) {
                    for (long st : m.contactStudents(i)) keys.add(KeySource.key(DistrictModel.STUDENT, st));
                }
            }
            case "myteachers" -> {
                if (kind == DistrictModel.STUDENT) {
                    for (long s : m.studentSections(i)) for (long t : m.sectionTeachers(s)) keys.add(KeySource.key(DistrictModel.TEACHER, t));
                }
            }
            case "mycontacts" -> {
                if (kind == DistrictModel.STUDENT && i < m.N && i / 2 < m.C) keys.add(KeySource.key(DistrictModel.CONTACT, i / 2));
            }
            case "schools" -> {
                String primary = first(q, "primary");
                if (primary != null) kept.add("primary=" + enc(primary));
                if ("true".equals(primary)) {
                    int p = m.primarySchool(kind, i);
                    if (p >= 0) keys.add(KeySource.key(DistrictModel.SCHOOL, p));
                } else {
                    for (int s : m.userSchools(kind, i)) keys.add(KeySource.key(DistrictModel.SCHOOL, s));
                }
            }
            default -> {
                return null;
            }
        }
        return KeySource.of(distinct(keys.sorted()));
    }

    private static long[] distinct(long[] sorted) {
        return Arrays.stream(sorted).distinct().toArray();
    }

    private void events(HttpExchange ex, State st, String[] seg, Map<String, List<String>> q, Fault fault) throws IOException {
        DistrictModel m = st.model();
        EventFeed feed = st.events().get();
        if (seg.length == 3) {
            cannot(ex);
            return;
        }
        if (seg.length == 2) {
            long key = m.keyOf(seg[1]);
            if (key < 0 || !feed.exists(key)) {
                json(ex, 404, "Resource not found");
                return;
            }
            single(ex, m, key, feed::render, fault);
            return;
        }
        String after = first(q, "starting_after");
        if (after != null && !after.isEmpty()) {
            long key = m.keyOf(after);
            if (key < 0 || !feed.exists(key)) {
                // assumed, not documented by Clever: a cursor the feed no longer holds (events live 30 days) is refused
                json(ex, 400, "starting_after: no event " + after + " in the feed; events are kept for 30 days, re-sync in full");
                return;
            }
        }
        Set<String> types = new LinkedHashSet<>(q.getOrDefault("record_type", List.of()));
        String school = first(q, "school");
        List<String> kept = new ArrayList<>();
        for (String t : types) kept.add("record_type=" + enc(t));
        if (school != null) kept.add("school=" + enc(school));
        list(ex, ex.getRequestURI().getRawPath(), kept, q, feed.source(types, school), feed::render, m, fault, false);
    }

    // ---------------------------------------------------------------- responses

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private void list(HttpExchange ex, String path, List<String> kept, Map<String, List<String>> q, KeySource src,
            LongFunction<ObjectNode> render, DistrictModel m, Fault fault, boolean unpaged) throws IOException {
        String limitParam = first(q, "limit");
        int limit = DEFAULT_LIMIT;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                json(ex, limitParam.matches("\\d+") ? 413 : 400, "limit must be an integer between 1 and " + MAX_LIMIT);
                return;
            }
            if (limit > MAX_LIMIT) {
                json(ex, 413, "Request entity too large: limit parameter may be over " + MAX_LIMIT);
                return;
            }
            if (limit < 1) {
                json(ex, 400, "limit must be an integer between 1 and " + MAX_LIMIT);
                return;
            }
        }
        String after = first(q, "starting_after");
        String before = first(q, "ending_before");
        long[] keys;
        if (unpaged) {
            keys = src.after(Long.MIN_VALUE, Integer.MAX_VALUE);
        } else if (before != null) {
            keys = src.before(m.boundary(before), limit);
        } else {
            keys = src.after(after == null ? Long.MIN_VALUE : m.boundary(after), limit);
        }
        List<String[]> links = new ArrayList<>();
        String rawQuery = ex.getRequestURI().getRawQuery();
        links.add(new String[] {"self", path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery)});
        if (!unpaged && keys.length > 0) {
            String prefix = path + "?" + (limitParam != null ? "limit=" + limit + "&" : "")
                    + (kept.isEmpty() ? "" : String.join("&", kept) + "&");
            if (src.anyAfter(keys[keys.length - 1])) links.add(new String[] {"next", prefix + "starting_after=" + m.id(keys[keys.length - 1])});
            if (after != null || before != null) links.add(new String[] {"prev", prefix + "ending_before=" + m.id(keys[0])});
        }
        if (fault == Fault.PAGE_WITHOUT_NEXT) {
            links.removeIf(l -> l[0].equals("next"));
        }
        final long[] page = fault == Fault.EMPTY_PAGE_WITH_NEXT ? new long[0] : keys;
        if (fault == Fault.POISON_RECORD) {
            respondWithPoison(ex, page, render, m, links);
            return;
        }
        respond(ex, 200, fault, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("data");
            for (long k : page) {
                g.writeStartObject();
                g.writeFieldName("data");
                g.writeTree(render.apply(k));
                g.writeStringField("uri", API + "/" + DistrictModel.collection(DistrictModel.kindOf(k)) + "/" + m.id(k));
                g.writeEndObject();
            }
            g.writeEndArray();
            writeLinks(g, links);
            g.writeEndObject();
        });
    }

    private void single(HttpExchange ex, DistrictModel m, long key, Fault fault) throws IOException {
        single(ex, m, key, m::render, fault);
    }

    private void single(HttpExchange ex, DistrictModel m, long key, LongFunction<ObjectNode> render, Fault fault) throws IOException {
        String self = API + "/" + DistrictModel.collection(DistrictModel.kindOf(key)) + "/" + m.id(key);
        ObjectNode obj = render.apply(key);
        respond(ex, 200, fault, g -> {
            g.writeStartObject();
            g.writeFieldName("data");
            g.writeTree(obj);
            List<String[]> links = new ArrayList<>();
            links.add(new String[] {"self", self});
            writeLinks(g, links);
            g.writeEndObject();
        });
    }

    private static void writeLinks(JsonGenerator g, List<String[]> links) throws IOException {
        g.writeArrayFieldStart("links");
        for (String[] l : links) {
            g.writeStartObject();
            g.writeStringField("rel", l[0]);
            g.writeStringField("uri", l[1]);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The page with one unreadable record first: too deep to bind, with bytes that are not UTF-8 in its name. */
    private void respondWithPoison(HttpExchange ex, long[] page, LongFunction<ObjectNode> render, DistrictModel m,
            List<String[]> links) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes(("{\"data\":[{\"data\":{\"id\":\"" + Faults.POISON_RECORD_ID + "\",\"district\":\"" + m.districtId()
                + "\",\"ext\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",\"name\":{\"first\":\"").getBytes(StandardCharsets.UTF_8));
        buf.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        buf.writeBytes("\",\"last\":\"X\"}}}".getBytes(StandardCharsets.UTF_8));
        for (long k : page) {
            ObjectNode item = MAPPER.createObjectNode();
            item.set("data", render.apply(k));
            item.put("uri", API + "/" + DistrictModel.collection(DistrictModel.kindOf(k)) + "/" + m.id(k));
            buf.writeBytes(",".getBytes(StandardCharsets.UTF_8));
            buf.writeBytes(MAPPER.writeValueAsBytes(item));
        }
        List<Map<String, String>> linkObjects = new ArrayList<>();
        for (String[] l : links) {
            linkObjects.add(Map.of("rel", l[0], "uri", l[1]));
        }
        buf.writeBytes(("],\"links\":" + MAPPER.writeValueAsString(linkObjects) + "}").getBytes(StandardCharsets.UTF_8));
        send(ex, 200, "application/json; charset=utf-8", buf.toByteArray());
    }

    private void respond(HttpExchange ex, int status, Fault fault, Body body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (fault == Fault.SLOW_DRIP) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(buf)) {
                body.write(g);
            }
            ex.sendResponseHeaders(status, 0);
            OutputStream out = ex.getResponseBody();
            for (byte b : buf.toByteArray()) {
                out.write(b);
                out.flush();
                sleep(faults.dripInterval().toMillis());
                if (Thread.currentThread().isInterrupted()) {
                    throw new DropConnection("simulator stopping during a slow drip");
                }
            }
            out.close();
            return;
        }
        if (fault == Fault.TRUNCATED_BODY || fault == Fault.INCOMPLETE_JSON) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(buf)) {
                body.write(g);
            }
            byte[] bytes = buf.toByteArray();
            int half = bytes.length / 2;
            if (fault == Fault.TRUNCATED_BODY) {
                ex.sendResponseHeaders(status, bytes.length);
                OutputStream out = ex.getResponseBody();
                out.write(bytes, 0, half);
                out.flush();
                throw new DropConnection("truncated body fault after " + half + " of " + bytes.length + " bytes");
            }
            ex.sendResponseHeaders(status, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes, 0, half);
            }
            return;
        }
        ex.sendResponseHeaders(status, 0); // chunked: pages are streamed, never buffered whole
        try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16);
                  JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            body.write(g);
        }
    }

    private static void json(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode o = MAPPER.createObjectNode().put("message", message);
        send(ex, status, "application/json; charset=utf-8", MAPPER.writeValueAsBytes(o));
    }

    private static void html(HttpExchange ex, int status, String html) throws IOException {
        send(ex, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** Express-style 404 for a path the API does not have, as the live API answers. */
    private static void cannot(HttpExchange ex) throws IOException {
        String what = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath();
        html(ex, 404, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n"
                + "<body>\n<pre>Cannot " + escape(what) + "</pre>\n</body>\n</html>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    // ---------------------------------------------------------------- query strings

    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String part : raw.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String k = dec(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : dec(part.substring(eq + 1));
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }

    private static String first(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

}
