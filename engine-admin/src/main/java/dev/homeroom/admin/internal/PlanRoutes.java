package dev.homeroom.admin.internal;

import dev.homeroom.admin.AdminUser;
import dev.homeroom.engine.ChangeSelection;
import dev.homeroom.engine.PlannedChangePage;
import dev.homeroom.engine.RunInfo;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.spi.HomeroomException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A halted or planned run change by change: the page of its changes (per kind and record, with rule and reason; paged,
 * narrowed by kind and the start of a Clever id) and, for a halted run, applying exactly the changes an operator ticked.
 */
final class PlanRoutes {
    private static final Logger LOG = LoggerFactory.getLogger("dev.homeroom.admin");

    private final ConsoleRoutes routes;
    private final SyncEngine engine;
    private final Access access;

    PlanRoutes(ConsoleRoutes routes, SyncEngine engine, Access access) {
        this.routes = routes;
        this.engine = engine;
        this.access = access;
    }

    void changes(Context ctx, AdminUser user) {
        RunInfo run = engine.run(ctx.pathParam("run")).orElseThrow(() -> new Access.Refusal(HttpStatus.NOT_FOUND,
                "HR-ADMIN-010 no run " + ctx.pathParam("run") + " in this store"));
        access.requireSee(user, run.districtId());
        String entity = ConsoleRoutes.trim(ctx.queryParam("entity"));
        String q = ConsoleRoutes.trim(ctx.queryParam("q"));
        PlannedChangePage page = engine.plannedChanges(run.runId(), entity, q, ConsoleRoutes.trim(ctx.queryParam("after")), ConsoleRoutes.PAGE);
        Map<String, Object> m = new HashMap<>();
        m.put("c", routes.chrome(ctx, "Changes of run " + run.runId(), user));
        m.put("view", RunView.of(run));
        m.put("counts", engine.plannedChangeCounts(run.runId()));
        m.put("page", page);
        m.put("entity", ConsoleRoutes.nz(entity));
        m.put("q", ConsoleRoutes.nz(q));
        m.put("filterQuery", ConsoleRoutes.query(Map.of("entity", ConsoleRoutes.nz(entity), "q", ConsoleRoutes.nz(q))));
        m.put("mayChange", access.mayChange(user, run.districtId()));
        ctx.html(routes.render("changes.jte", m));
    }

    void approveSelected(Context ctx, AdminUser user) {
        RunInfo run = routes.haltedRun(ctx, user);
        List<String> ids = ctx.formParams("change");
        String back = routes.base(ctx) + "/runs/" + ConsoleRoutes.enc(run.runId());
        if (ids.isEmpty()) {
            routes.redirectWith(ctx, back + "/changes", "error", "HR-ADMIN-042 tick at least one change to apply, or approve the whole plan");
            return;
        }
        LOG.info("HR-ADMIN-043 {} approved {} changes of the plan of run {} (district {})", user.name(), ids.size(), run.runId(), run.districtId());
        try {
            var report = routes.syncing(run.districtId()).approve(run.runId(), ChangeSelection.only(ids), user.name());
            routes.redirectWith(ctx, routes.base(ctx) + "/runs/" + ConsoleRoutes.enc(report.runId()), "notice", "Applied " + ids.size()
                    + " changes of run " + run.runId() + ": this run " + report.status() + (report.guard() == null ? "" : " (" + report.guard() + ")"));
        } catch (HomeroomException e) {
            routes.redirectWith(ctx, back + "/changes", "error", ConsoleRoutes.oneLine(e));
        }
    }
}
