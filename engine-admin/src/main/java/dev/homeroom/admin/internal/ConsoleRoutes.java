package dev.homeroom.admin.internal;

import dev.homeroom.admin.AdminProgress;
import dev.homeroom.admin.AdminUser;
import dev.homeroom.engine.DistrictInfo;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.IssuePage;
import dev.homeroom.engine.RunInfo;
import dev.homeroom.engine.SectionFilter;
import dev.homeroom.engine.StagedSection;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.spi.HomeroomException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's pages and actions. Every request is identified by the host's authorizer first (401 without a user),
 * every district it touches is checked (403 for one the user may not see or change), and every change is a POST that
 * carries the user's CSRF token (403 without it), checked before anything changes.
 */
public final class ConsoleRoutes {
    private static final Logger LOG = LoggerFactory.getLogger("dev.homeroom.admin");
    static final int PAGE = 50;
    /** A flash cookie's value stays under a cookie's 4 KB: a longer message is cut to its first 300 characters and its code. */
    private static final int FLASH_BYTES = 3_500;
    private static final int FLASH_HEAD = 300;

    private final SyncEngine engine;
    private final Access access;
    private final AdminProgress progress;
    private final ExecutorService syncs;
    private final String base;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html,
            ConsoleRoutes.class.getClassLoader(), "dev.homeroom.admin.internal.jte");

    private final java.util.function.Function<String, java.util.Optional<SyncEngine>> engines;

    public ConsoleRoutes(SyncEngine engine, java.util.function.Function<String, java.util.Optional<SyncEngine>> engines, Access access,
                         AdminProgress progress, ExecutorService syncs, String base) {
        this.engine = engine;
        this.engines = engines;
        this.access = access;
        this.progress = progress;
        this.syncs = syncs;
        this.base = base;
    }

    /** Where links start: the servlet context the host put the console in, then its mount path. */
    String base(Context ctx) {
        String context = ctx.req().getContextPath();
        return (context == null ? "" : context) + base;
    }

    /**
     * Adds the console's routes under the mount path. Javalin's servlet matches paths below the servlet context (not
     * below the servlet's own mapping), so a console mapped to {@code /admin/*} registers {@code /admin/…}.
     */
    public void register(JavalinConfig config) {
        var r = config.routes;
        r.get(base + "/assets/{file}", this::asset);
        r.get(base.isEmpty() ? "/" : base, ctx -> page(ctx, this::districts));
        r.get(base + "/districts/{district}", ctx -> page(ctx, this::district));
        r.get(base + "/districts/{district}/records", ctx -> page(ctx, this::records));
        r.get(base + "/districts/{district}/records/{id}", ctx -> page(ctx, this::record));
        r.get(base + "/districts/{district}/sections", ctx -> page(ctx, this::sections));
        r.get(base + "/districts/{district}/progress", ctx -> page(ctx, this::progressPage));
        r.get(base + "/districts/{district}/progress.json", ctx -> page(ctx, this::progressJson));
        r.get(base + "/runs/{run}", ctx -> page(ctx, this::run));
        r.post(base + "/districts/{district}/sync", ctx -> change(ctx, this::sync));
        r.post(base + "/districts/{district}/sections", ctx -> change(ctx, this::select));
        r.post(base + "/districts/{district}/records/{id}/display-name", ctx -> change(ctx, this::displayName));
        r.post(base + "/districts/{district}/records/{id}/graduation-year", ctx -> change(ctx, this::graduationYear));
        r.post(base + "/runs/{run}/approve", ctx -> change(ctx, this::approve));
        r.post(base + "/runs/{run}/reject", ctx -> change(ctx, this::reject));
        PlanRoutes plans = new PlanRoutes(this, engine, access);
        r.get(base + "/runs/{run}/changes", ctx -> page(ctx, plans::changes));
        r.post(base + "/runs/{run}/approve-selected", ctx -> change(ctx, plans::approveSelected));
        GroupRoutes groups = new GroupRoutes(this, engine, access);
        r.get(base + "/districts/{district}/groups", ctx -> page(ctx, groups::groupsPage));
        r.get(base + "/districts/{district}/groups/{group}", ctx -> page(ctx, groups::groupPage));
        r.post(base + "/districts/{district}/groups/empty", ctx -> change(ctx, groups::createEmpty));
        r.post(base + "/districts/{district}/groups/copy", ctx -> change(ctx, groups::copyFromSection));
        r.post(base + "/districts/{district}/groups/split", ctx -> change(ctx, groups::split));
        r.post(base + "/districts/{district}/groups/{group}/members", ctx -> change(ctx, groups::members));
        r.post(base + "/districts/{district}/groups/{group}/rename", ctx -> change(ctx, groups::rename));
        r.post(base + "/districts/{district}/groups/{group}/delete", ctx -> change(ctx, groups::delete));
        ManualRoutes manual = new ManualRoutes(this, engine, access);
        r.get(base + "/districts/{district}/manual", ctx -> page(ctx, manual::manualPage));
        r.get(base + "/districts/{district}/manual/classes/{id}", ctx -> page(ctx, manual::classPage));
        r.get(base + "/districts/{district}/manual/students/{id}", ctx -> page(ctx, manual::studentPage));
        r.post(base + "/districts/{district}/manual/classes", ctx -> change(ctx, manual::createClass));
        r.post(base + "/districts/{district}/manual/students", ctx -> change(ctx, manual::createStudent));
        r.post(base + "/districts/{district}/manual/classes/{id}", ctx -> change(ctx, manual::editClass));
        r.post(base + "/districts/{district}/manual/students/{id}", ctx -> change(ctx, manual::editStudent));
        r.post(base + "/districts/{district}/manual/classes/{id}/active", ctx -> change(ctx, manual::classActive));
        r.post(base + "/districts/{district}/manual/students/{id}/active", ctx -> change(ctx, manual::studentActive));
        r.post(base + "/districts/{district}/manual/memberships", ctx -> change(ctx, manual::membership));
        r.exception(HomeroomException.class, (e, ctx) -> {
            // bad input the engine refused with its one line (an unknown run, a kind it does not know): nothing changed
            ctx.status(HttpStatus.BAD_REQUEST);
            ctx.html(render("refused.jte", Map.of("c", chrome(ctx, "Refused", null), "status", 400, "message", oneLine(e), "login", false)));
        });
        r.exception(Access.Refusal.class, (e, ctx) -> {
            ctx.status(e.status);
            ctx.html(render("refused.jte", Map.of("c", chrome(ctx, "Not allowed", null), "status", e.status.getCode(),
                    "message", e.getMessage(), "login", standaloneLogin && e.status == HttpStatus.UNAUTHORIZED)));
        });
    }

    private boolean standaloneLogin;

    /** In standalone mode a 401 page offers the token form. */
    public void offerLogin() {
        this.standaloneLogin = true;
    }

    @FunctionalInterface
    interface Page {
        void handle(Context ctx, AdminUser user) throws Exception;
    }

    private void page(Context ctx, Page page) throws Exception {
        AdminUser user = access.identify(ctx, ctx.path());
        ctx.header("Cache-Control", "no-store");
        page.handle(ctx, user);
    }

    private void change(Context ctx, Page action) throws Exception {
        AdminUser user = access.identify(ctx, ctx.path());
        access.requireCsrf(ctx, user);
        action.handle(ctx, user);
    }

    // --- pages

    private void districts(Context ctx, AdminUser user) {
        int offset = intParam(ctx, "offset", 0);
        String q = trim(ctx.queryParam("q"));
        // the authorizer decides per district, so a page may hold fewer than PAGE districts this user may see
        List<DistrictInfo> all = engine.districts(q, PAGE + 1, offset);
        List<DistrictInfo> page = all.stream().filter(d -> access.maySee(user, d.districtId())).toList();
        Map<String, RunInfo> latest = new HashMap<>();
        for (DistrictInfo d : page.subList(0, Math.min(PAGE, page.size()))) {
            engine.runs(d.districtId(), 1, 0).forEach(r -> latest.put(d.districtId(), r));
        }
        ctx.html(render("districts.jte", Map.of("c", chrome(ctx, "Districts", user), "districts", page.subList(0, Math.min(PAGE, page.size())),
                "latest", latest, "q", q == null ? "" : q, "offset", offset, "more", all.size() > PAGE)));
    }

    private void district(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        int offset = intParam(ctx, "offset", 0);
        List<RunInfo> runs = engine.runs(district, PAGE + 1, offset);
        String name = engine.districts(district, 1, 0).stream().filter(d -> d.districtId().equals(district)).map(DistrictInfo::name)
                .findFirst().orElse(district);
        List<RunView> views = runs.stream().limit(PAGE).map(RunView::of).toList();
        Map<String, List<dev.homeroom.engine.Approval>> approvals = new HashMap<>();
        for (var a : engine.approvals(district, views.stream().map(v -> v.run().runId()).toList())) {
            approvals.computeIfAbsent(a.runId(), k -> new java.util.ArrayList<>()).add(a);
            if (a.resultRunId() != null && !a.resultRunId().equals(a.runId())) {
                approvals.computeIfAbsent(a.resultRunId(), k -> new java.util.ArrayList<>()).add(a);
            }
        }
        ctx.html(render("district.jte", Map.of("c", chrome(ctx, name, user), "districtId", district, "name", name == null ? district : name,
                "runs", views, "offset", offset, "more", runs.size() > PAGE,
                "mayChange", access.mayChange(user, district), "maySync", engines.apply(district).isPresent(), "approvals", approvals)));
    }

    private void run(Context ctx, AdminUser user) {
        RunInfo run = engine.run(ctx.pathParam("run")).orElseThrow(() -> new Access.Refusal(HttpStatus.NOT_FOUND,
                "HR-ADMIN-010 no run " + ctx.pathParam("run") + " in this store"));
        access.requireSee(user, run.districtId());
        String kind = trim(ctx.queryParam("kind"));
        String code = trim(ctx.queryParam("code"));
        String record = trim(ctx.queryParam("record"));
        int after = intParam(ctx, "after", 0);
        IssuePage issues = engine.issues(run.runId(), kind, code, record, after, PAGE);
        Map<String, Object> m = new HashMap<>();
        m.put("c", chrome(ctx, "Run " + run.runId(), user));
        m.put("view", RunView.of(run));
        m.put("counts", engine.issueCounts(run.runId()));
        m.put("issues", issues);
        m.put("kind", kind == null ? "" : kind);
        m.put("code", code == null ? "" : code);
        m.put("record", record == null ? "" : record);
        m.put("filterQuery", query(Map.of("kind", kind == null ? "" : kind, "code", code == null ? "" : code, "record", record == null ? "" : record)));
        m.put("mayChange", access.mayChange(user, run.districtId()));
        m.put("approvals", engine.approvals(run.districtId(), List.of(run.runId())));
        m.put("plannedCount", "HALTED".equals(run.status()) || "PLANNED".equals(run.status())
                ? engine.plannedChangeCounts(run.runId()).stream().mapToLong(dev.homeroom.engine.PlannedChangeCount::count).sum() : 0L);
        ctx.html(render("run.jte", m));
    }

    private void records(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        String q = trim(ctx.queryParam("q"));
        var found = q == null ? List.<dev.homeroom.engine.RecordMatch>of() : engine.findRecords(district, q, PAGE);
        if (found.size() == 1 && found.get(0).cleverId().equals(q)) {
            ctx.redirect(base(ctx) + "/districts/" + enc(district) + "/records/" + enc(q));
            return;
        }
        ctx.html(render("records.jte", Map.of("c", chrome(ctx, "Find a record", user), "districtId", district, "q", q == null ? "" : q,
                "found", found)));
    }

    private void record(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        String id = ctx.pathParam("id");
        Explanation e = engine.explain(district, id).orElseThrow(() -> new Access.Refusal(HttpStatus.NOT_FOUND,
                "HR-ADMIN-011 district " + district + " has no record with Clever id " + id));
        String label = engine.findRecords(district, id, 1).stream().findFirst().map(dev.homeroom.engine.RecordMatch::label).orElse(id);
        ctx.html(render("record.jte", Map.of("c", chrome(ctx, e.kind() + " " + id, user), "e", e, "label", label == null ? id : label,
                "mayChange", access.mayChange(user, district), "provisioned", ExplainView.provisioned(e))));
    }

    private void sections(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        String sel = trim(ctx.queryParam("selected"));
        SectionFilter filter = new SectionFilter(ctx.queryParam("school"), ctx.queryParam("term"), ctx.queryParam("course"),
                ctx.queryParam("subject"), ctx.queryParam("grade"), sel == null ? null : Boolean.valueOf("yes".equals(sel)));
        String after = trim(ctx.queryParam("after"));
        List<StagedSection> page = engine.sections(district, filter, after, PAGE + 1);
        Map<String, Object> m = new HashMap<>();
        m.put("c", chrome(ctx, "Staged sections", user));
        m.put("districtId", district);
        m.put("sections", page.subList(0, Math.min(PAGE, page.size())));
        m.put("next", page.size() > PAGE ? page.get(PAGE - 1).cleverId() : "");
        m.put("filter", filter);
        m.put("selected", sel == null ? "" : sel);
        m.put("schools", engine.records(district, "schools", 500));
        m.put("terms", engine.records(district, "terms", 500));
        m.put("filterQuery", query(Map.of("school", nz(filter.schoolId()), "term", nz(filter.termId()), "course", nz(filter.courseId()),
                "subject", nz(filter.subject()), "grade", nz(filter.grade()), "selected", sel == null ? "" : sel)));
        m.put("mayChange", access.mayChange(user, district));
        ctx.html(render("sections.jte", m));
    }

    private void progressPage(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        ctx.html(render("progress.jte", Map.of("c", chrome(ctx, "Sync progress", user), "districtId", district)));
    }

    private void progressJson(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        ctx.contentType("application/json");
        ctx.result(ProgressJson.of(progress == null ? java.util.Optional.empty() : progress.latest(district)));
    }

    // --- actions

    private void sync(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        SyncEngine syncing = syncing(district);
        SyncMode mode = "incremental".equals(ctx.formParam("mode")) ? SyncMode.INCREMENTAL : SyncMode.FULL;
        LOG.info("HR-ADMIN-020 {} started a {} sync of district {}", user.name(), mode.label(), district);
        syncs.submit(() -> {
            var report = syncing.sync(mode);
            LOG.info("HR-ADMIN-021 the sync {} started ended {}", user.name(), report.status());
        });
        ctx.redirect(base(ctx) + "/districts/" + enc(district) + "/progress", HttpStatus.SEE_OTHER);
    }

    private void select(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        List<String> ids = ctx.formParams("section");
        boolean selected = !"unselect".equals(ctx.formParam("action"));
        String back = base(ctx) + "/districts/" + enc(district) + "/sections" + nz(ctx.formParam("back"));
        if (ids.isEmpty()) {
            redirectWith(ctx, back, "error", "HR-ADMIN-030 tick at least one section first");
            return;
        }
        try {
            int n = engine.selectSections(district, ids, selected);
            LOG.info("HR-ADMIN-031 {} {} {} sections of district {}", user.name(), selected ? "selected" : "unselected", ids.size(), district);
            redirectWith(ctx, back, "notice", (selected ? "Selected " : "Unselected ") + ids.size() + " sections (" + n
                    + " changed); the next sync " + (selected ? "loads" : "deactivates") + " them.");
        } catch (HomeroomException e) {
            redirectWith(ctx, back, "error", oneLine(e));
        }
    }

    private void displayName(Context ctx, AdminUser user) {
        edit(ctx, user, "section", (id, value) -> engine.editClassDisplayName(id, value), "Display name saved: ");
    }

    private void graduationYear(Context ctx, AdminUser user) {
        edit(ctx, user, "user", (id, value) -> engine.editGraduationYear(id, value), "Graduation year saved: ");
    }

    private void edit(Context ctx, AdminUser user, String kind, java.util.function.BiConsumer<String, String> apply, String done) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        String id = ctx.pathParam("id");
        String back = base(ctx) + "/districts/" + enc(district) + "/records/" + enc(id);
        // the engine finds a record by Clever id in any district: make sure it is this district's before changing it
        boolean ours = engine.explain(district, id).filter(e -> kind.equals(kindOfExplanation(e))).isPresent();
        if (!ours) {
            throw new Access.Refusal(HttpStatus.NOT_FOUND, "HR-ADMIN-032 district " + district + " has no " + kind + " " + id);
        }
        String value = trim(ctx.formParam("value"));
        try {
            apply.accept(id, value);
            LOG.info("HR-ADMIN-033 {} edited {} {} of district {}", user.name(), kind, id, district);
            redirectWith(ctx, back, "notice", done + (value == null ? "(cleared)" : value));
        } catch (HomeroomException e) {
            redirectWith(ctx, back, "error", oneLine(e));
        }
    }

    private static String kindOfExplanation(Explanation e) {
        return e.kind();
    }

    private void approve(Context ctx, AdminUser user) {
        RunInfo run = haltedRun(ctx, user);
        LOG.info("HR-ADMIN-040 {} approved the plan of run {} (district {})", user.name(), run.runId(), run.districtId());
        try {
            var report = syncing(run.districtId()).approve(run.runId(), user.name());
            redirectWith(ctx, base(ctx) + "/runs/" + enc(report.runId()), "notice", "Approved the plan of run " + run.runId() + ": this run "
                    + report.status() + (report.guard() == null ? "" : " (" + report.guard() + ")"));
        } catch (HomeroomException e) {
            redirectWith(ctx, base(ctx) + "/runs/" + enc(run.runId()), "error", oneLine(e));
        }
    }

    private void reject(Context ctx, AdminUser user) {
        RunInfo run = haltedRun(ctx, user);
        LOG.info("HR-ADMIN-041 {} rejected the plan of run {} (district {})", user.name(), run.runId(), run.districtId());
        try {
            engine.reject(run.runId(), user.name());
            redirectWith(ctx, base(ctx) + "/runs/" + enc(run.runId()), "notice", "Rejected: nothing was applied.");
        } catch (HomeroomException e) {
            redirectWith(ctx, base(ctx) + "/runs/" + enc(run.runId()), "error", oneLine(e));
        }
    }

    /**
     * The engine that syncs this district: one whose token belongs to it. The console's own engine syncs only the
     * district its token is bound to, so a button on another district's page never syncs the wrong one.
     */
    SyncEngine syncing(String district) {
        return engines.apply(district).orElseThrow(() -> new Access.Refusal(HttpStatus.CONFLICT, "HR-ADMIN-012 this console has no "
                + "engine whose Clever token syncs district " + district + " (the host gives one with AdminConsole.Builder.engines)"));
    }

    RunInfo haltedRun(Context ctx, AdminUser user) {
        RunInfo run = engine.run(ctx.pathParam("run")).orElseThrow(() -> new Access.Refusal(HttpStatus.NOT_FOUND,
                "HR-ADMIN-010 no run " + ctx.pathParam("run") + " in this store"));
        access.requireChange(user, run.districtId());
        return run;
    }

    // --- helpers

    void redirectWith(Context ctx, String to, String key, String message) {
        // the message goes in a short-lived cookie, not the URL: a URL lands in logs and history; a cookie holds 4 KB
        String encoded = URLEncoder.encode(key + ":" + message, StandardCharsets.UTF_8);
        if (encoded.length() > FLASH_BYTES) {
            // a long message (names an operator typed) keeps its start and the code at its end
            int code = message.lastIndexOf(" [");
            String tail = code >= 0 && message.endsWith("]") ? message.substring(code) : "";
            String head = message.substring(0, Math.min(message.length() - tail.length(), FLASH_HEAD));
            encoded = URLEncoder.encode(key + ":" + head + "…" + tail, StandardCharsets.UTF_8);
        }
        ctx.cookie(new io.javalin.http.Cookie("homeroom_flash", encoded,
                base(ctx).isEmpty() ? "/" : base(ctx), 60, false, true, null, io.javalin.http.SameSite.STRICT));
        ctx.redirect(to, HttpStatus.SEE_OTHER);
    }

    Chrome chrome(Context ctx, String title, AdminUser user) {
        String notice = null;
        String error = null;
        String flash = ctx.cookie("homeroom_flash");
        if (flash != null) {
            String decoded = java.net.URLDecoder.decode(flash, StandardCharsets.UTF_8);
            if (decoded.startsWith("notice:")) {
                notice = decoded.substring(7);
            } else if (decoded.startsWith("error:")) {
                error = decoded.substring(6);
            }
            ctx.removeCookie("homeroom_flash", base(ctx).isEmpty() ? "/" : base(ctx));
        }
        return new Chrome(base(ctx), title, user == null ? null : user.name(), user == null ? "" : access.csrf(user), notice, error);
    }

    String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        return out.toString();
    }

    private void asset(Context ctx) {
        String file = ctx.pathParam("file");
        if (!file.matches("[a-z-]+\\.(css|js)")) {
            ctx.status(HttpStatus.NOT_FOUND);
            return;
        }
        InputStream in = ConsoleRoutes.class.getResourceAsStream("/dev/homeroom/admin/assets/" + file);
        if (in == null) {
            ctx.status(HttpStatus.NOT_FOUND);
            return;
        }
        ctx.contentType(file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        ctx.header("Cache-Control", "max-age=3600");
        ctx.result(in);
    }

    /** The engine's one line with its code, as the command line prints it. */
    static String oneLine(HomeroomException e) {
        return e.getMessage() + " [" + e.code() + "]";
    }

    static String query(Map<String, String> params) {
        return params.entrySet().stream().filter(e -> !e.getValue().isEmpty()).sorted(Map.Entry.comparingByKey())
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String trim(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    static int intParam(Context ctx, String name, int fallback) {
        try {
            String v = ctx.queryParam(name);
            return v == null ? fallback : Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
