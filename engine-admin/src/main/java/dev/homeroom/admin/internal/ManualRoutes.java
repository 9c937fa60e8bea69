package dev.homeroom.admin.internal;

import dev.homeroom.admin.AdminUser;
import dev.homeroom.engine.ManualResources;
import dev.homeroom.engine.ManualResources.ClassValues;
import dev.homeroom.engine.ManualResources.ManualClass;
import dev.homeroom.engine.ManualResources.ManualMembership;
import dev.homeroom.engine.ManualResources.ManualStudent;
import dev.homeroom.engine.ManualResources.StudentValues;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.spi.HomeroomException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A district's manual classes, students and memberships ({@link SyncEngine#manual()}, P21): three paged lists, the
 * forms that create, edit, deactivate and reactivate a manual class or student, and joining a student to a class or
 * taking them out. Every record a request names is checked to be the district's before it changes: the engine finds a
 * record by id in any district. A refusal (SIS_LOCKDOWN, a synced record, bad values) is shown as its one line.
 */
final class ManualRoutes {
    private static final Logger LOG = LoggerFactory.getLogger("dev.homeroom.admin");

    private final ConsoleRoutes routes;
    private final SyncEngine engine;
    private final ManualResources manual;
    private final Access access;

    ManualRoutes(ConsoleRoutes routes, SyncEngine engine, Access access) {
        this.routes = routes;
        this.engine = engine;
        this.manual = engine.manual();
        this.access = access;
    }

    // --- pages

    /** The three lists, each paged by its own key: {@code classes}, {@code students}, {@code members} (class/student). */
    void manualPage(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        int page = ConsoleRoutes.PAGE;
        String classesAfter = ConsoleRoutes.trim(ctx.queryParam("classes"));
        String studentsAfter = ConsoleRoutes.trim(ctx.queryParam("students"));
        String membersAfter = ConsoleRoutes.trim(ctx.queryParam("members"));
        String[] member = membersAfter == null ? new String[] {null, null} : membersAfter.split("/", 2);
        List<ManualClass> classes = manual.classes(district, classesAfter, page + 1);
        List<ManualStudent> students = manual.students(district, studentsAfter, page + 1);
        List<ManualMembership> members = manual.memberships(district, member[0], member.length > 1 ? member[1] : null, page + 1);
        Map<String, String> at = Map.of("classes", ConsoleRoutes.nz(classesAfter), "students", ConsoleRoutes.nz(studentsAfter),
                "members", ConsoleRoutes.nz(membersAfter));
        Map<String, Object> m = new HashMap<>();
        m.put("c", routes.chrome(ctx, "Manual classes and students", user));
        m.put("districtId", district);
        m.put("classes", classes.subList(0, Math.min(page, classes.size())));
        m.put("students", students.subList(0, Math.min(page, students.size())));
        m.put("members", members.subList(0, Math.min(page, members.size())));
        m.put("nextClasses", classes.size() > page ? next(at, "classes", classes.get(page - 1).id()) : "");
        m.put("nextStudents", students.size() > page ? next(at, "students", students.get(page - 1).id()) : "");
        m.put("nextMembers", members.size() > page ? next(at, "members", members.get(page - 1).classId() + "/" + members.get(page - 1).studentId()) : "");
        m.put("first", classesAfter != null || studentsAfter != null || membersAfter != null);
        m.put("mayChange", access.mayChange(user, district));
        ctx.html(routes.render("manual.jte", m));
    }

    /** The query of the next page of one list, the other lists staying where they are. */
    private static String next(Map<String, String> at, String list, String after) {
        Map<String, String> q = new HashMap<>(at);
        q.put(list, after);
        return ConsoleRoutes.query(q);
    }

    void classPage(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        ManualClass k = districtsClass(district, ctx.pathParam("id"));
        ctx.html(routes.render("manual-class.jte", Map.of("c", routes.chrome(ctx, "Manual class " + k.name(), user), "districtId", district,
                "k", k, "mayChange", access.mayChange(user, district))));
    }

    void studentPage(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        ManualStudent s = districtsStudent(district, ctx.pathParam("id"));
        ctx.html(routes.render("manual-student.jte", Map.of("c", routes.chrome(ctx, "Manual student " + s.firstName() + " " + s.lastName(), user),
                "districtId", district, "s", s, "mayChange", access.mayChange(user, district))));
    }

    // --- actions

    void createClass(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        attempt(ctx, user, district, listLink(ctx, district), () -> {
            ManualClass k = manual.createClass(district, classValues(ctx));
            return "Created manual class “" + k.name() + "” (" + k.id() + ").";
        });
    }

    void createStudent(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        attempt(ctx, user, district, listLink(ctx, district), () -> {
            ManualStudent s = manual.createStudent(district, studentValues(ctx));
            return "Created manual student " + s.firstName() + " " + s.lastName() + " (" + s.id() + ").";
        });
    }

    void editClass(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        ManualClass k = districtsClass(district, ctx.pathParam("id"));
        attempt(ctx, user, district, classLink(ctx, district, k.id()), () -> {
            ManualClass after = manual.editClass(k.id(), classValues(ctx));
            return "Saved class “" + after.name() + "”.";
        });
    }

    void editStudent(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        ManualStudent s = districtsStudent(district, ctx.pathParam("id"));
        attempt(ctx, user, district, studentLink(ctx, district, s.id()), () -> {
            ManualStudent after = manual.editStudent(s.id(), studentValues(ctx));
            return "Saved student " + after.firstName() + " " + after.lastName() + ".";
        });
    }

    void classActive(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        ManualClass k = districtsClass(district, ctx.pathParam("id"));
        boolean active = "true".equals(ctx.formParam("active"));
        attempt(ctx, user, district, back(ctx, district, classLink(ctx, district, k.id())), () -> {
            ManualClass after = manual.setClassActive(k.id(), active);
            return (after.active() ? "Reactivated" : "Deactivated") + " class “" + after.name() + "”; its manual memberships follow it.";
        });
    }

    void studentActive(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        ManualStudent s = districtsStudent(district, ctx.pathParam("id"));
        boolean active = "true".equals(ctx.formParam("active"));
        attempt(ctx, user, district, back(ctx, district, studentLink(ctx, district, s.id())), () -> {
            ManualStudent after = manual.setStudentActive(s.id(), active);
            return (after.active() ? "Reactivated" : "Deactivated") + " student " + after.firstName() + " " + after.lastName()
                    + "; their manual memberships follow.";
        });
    }

    /** Joins a student to a class ({@code action=join}) or takes a manual membership back ({@code action=leave}). */
    void membership(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        String classId = ConsoleRoutes.trim(ctx.formParam("class"));
        String studentId = ConsoleRoutes.trim(ctx.formParam("student"));
        boolean leave = "leave".equals(ctx.formParam("action"));
        String back = listLink(ctx, district);
        if (classId == null || studentId == null) {
            routes.redirectWith(ctx, back, "error", "HR-ADMIN-061 give both a class id and a student id");
            return;
        }
        // the engine takes the class's district: a class of another district must not be joined from this district's page
        boolean ours = manual.manualClass(district, classId).isPresent()
                || engine.explain(district, classId).filter(e -> "section".equals(e.kind())).isPresent();
        if (!ours) {
            routes.redirectWith(ctx, back, "error", "HR-ADMIN-061 district " + district + " has no class " + classId);
            return;
        }
        attempt(ctx, user, district, back, () -> {
            ManualMembership m = leave ? manual.leave(classId, studentId) : manual.join(classId, studentId);
            return (leave ? "Took student " + studentId + " out of class " + classId : "Joined student " + studentId + " to class " + classId)
                    + (m.active() ? " (active)." : " (inactive while its class or the student's account is).");
        });
    }

    // --- helpers

    /** Runs one change; its notice, or the engine's refusal as one line, shown on {@code back}. */
    private void attempt(Context ctx, AdminUser user, String district, String back, Supplier<String> change) {
        try {
            String done = change.get();
            // the notice holds names the operator typed: one line in the log, whatever they typed
            LOG.info("HR-ADMIN-062 {} in district {}: {}", user.name(), district, done.replaceAll("\\p{Cntrl}", " "));
            routes.redirectWith(ctx, back, "notice", done);
        } catch (HomeroomException e) {
            routes.redirectWith(ctx, back, "error", ConsoleRoutes.oneLine(e));
        }
    }

    private ManualClass districtsClass(String district, String id) {
        return manual.manualClass(district, id).orElseThrow(() -> new Access.Refusal(HttpStatus.NOT_FOUND,
                "HR-ADMIN-060 district " + district + " has no manual class " + id));
    }

    private ManualStudent districtsStudent(String district, String id) {
        return manual.manualStudent(district, id).orElseThrow(() -> new Access.Refusal(HttpStatus.NOT_FOUND,
                "HR-ADMIN-060 district " + district + " has no manual student " + id));
    }

    private static ClassValues classValues(Context ctx) {
        return new ClassValues(ctx.formParam("name"), ConsoleRoutes.trim(ctx.formParam("subject")), ConsoleRoutes.trim(ctx.formParam("grade")));
    }

    private static StudentValues studentValues(Context ctx) {
        return new StudentValues(ctx.formParam("first"), ctx.formParam("last"), ConsoleRoutes.trim(ctx.formParam("email")),
                ConsoleRoutes.trim(ctx.formParam("grade")));
    }

    /** The list's page when the form came from it ({@code back=list}), else the record's page. */
    private String back(Context ctx, String district, String record) {
        return "list".equals(ctx.formParam("back")) ? listLink(ctx, district) : record;
    }

    private String listLink(Context ctx, String district) {
        return routes.base(ctx) + "/districts/" + ConsoleRoutes.enc(district) + "/manual";
    }

    private String classLink(Context ctx, String district, String id) {
        return listLink(ctx, district) + "/classes/" + ConsoleRoutes.enc(id);
    }

    private String studentLink(Context ctx, String district, String id) {
        return listLink(ctx, district) + "/students/" + ConsoleRoutes.enc(id);
    }
}
