package dev.homeroom.admin.internal;

import dev.homeroom.admin.AdminUser;
import dev.homeroom.engine.CustomGroup;
import dev.homeroom.engine.CustomGroups;
import dev.homeroom.engine.GroupTeacher;
import dev.homeroom.engine.GroupWithMembers;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.spi.HomeroomException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teachers' custom groups of one district ({@link SyncEngine#groups()}): a teacher picked by Clever id from a paged
 * list, their groups (paged), a group's members (paged, each ACTIVE or INACTIVE), and the forms that create a group
 * (empty, copied from a section, a section split in N), add and remove members, rename and delete. Every teacher and
 * group a request names is checked to be the district's before anything is read or changed: the engine finds them by
 * id in any district.
 */
final class GroupRoutes {
    private static final Logger LOG = LoggerFactory.getLogger("dev.homeroom.admin");
    /** The most sections a teacher's copy and split forms list. */
    static final int SECTIONS = 500;
    /** The most groups one split makes. */
    static final int MAX_SPLIT = 50;
    /** The most new groups a notice names. */
    private static final int LISTED = 5;

    private final ConsoleRoutes routes;
    private final CustomGroups groups;
    private final Access access;

    GroupRoutes(ConsoleRoutes routes, SyncEngine engine, Access access) {
        this.routes = routes;
        this.groups = engine.groups();
        this.access = access;
    }

    // --- pages

    /** The teacher picker (Clever ids starting with {@code q}, paged by id) or, with {@code teacher}, that teacher's groups. */
    void groupsPage(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        String teacherId = ConsoleRoutes.trim(ctx.queryParam("teacher"));
        String q = ConsoleRoutes.trim(ctx.queryParam("q"));
        Map<String, Object> m = new HashMap<>();
        m.put("districtId", district);
        m.put("q", ConsoleRoutes.nz(q));
        m.put("mayChange", access.mayChange(user, district));
        String problem = null;
        GroupTeacher teacher = teacherId == null ? null : teacherOf(district, teacherId).orElse(null);
        if (teacherId != null && teacher == null) {
            problem = "HR-ADMIN-051 district " + district + " has no teacher with Clever id " + teacherId;
        }
        List<CustomGroup> page = List.of();
        List<dev.homeroom.engine.TeacherSection> sections = List.of();
        int offset = ConsoleRoutes.intParam(ctx, "offset", 0);
        if (teacher != null) {
            try {
                page = groups.groupsOf(teacher.teacherId(), ConsoleRoutes.PAGE + 1, offset);
                sections = groups.sections(teacher.teacherId(), SECTIONS);
            } catch (HomeroomException e) {
                problem = ConsoleRoutes.oneLine(e);
            }
        }
        List<GroupTeacher> teachers = teacher != null ? List.of()
                : groups.teachers(district, q, ConsoleRoutes.trim(ctx.queryParam("after")), ConsoleRoutes.PAGE + 1);
        Chrome c = routes.chrome(ctx, teacher == null ? "Custom groups" : "Groups of " + name(teacher), user);
        if (problem != null && c.error() == null) {
            c = new Chrome(c.base(), c.title(), c.user(), c.csrf(), c.notice(), problem);
        }
        m.put("c", c);
        m.put("teacher", teacher);
        m.put("teacherName", teacher == null ? "" : name(teacher));
        m.put("groups", page.subList(0, Math.min(ConsoleRoutes.PAGE, page.size())));
        m.put("offset", offset);
        m.put("more", page.size() > ConsoleRoutes.PAGE);
        m.put("sections", sections);
        m.put("teachers", teachers.subList(0, Math.min(ConsoleRoutes.PAGE, teachers.size())));
        m.put("nextTeacher", teachers.size() > ConsoleRoutes.PAGE ? teachers.get(ConsoleRoutes.PAGE - 1).teacherId() : "");
        ctx.html(routes.render("groups.jte", m));
    }

    /** One group of the district with a page of its members. */
    void groupPage(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireSee(user, district);
        int offset = ConsoleRoutes.intParam(ctx, "offset", 0);
        GroupWithMembers g = districtsGroup(district, ctx.pathParam("group"), ConsoleRoutes.PAGE + 1, offset);
        GroupTeacher teacher = teacherOf(district, g.group().teacherId()).orElse(null);
        Map<String, Object> m = new HashMap<>();
        m.put("c", routes.chrome(ctx, "Group " + g.group().name(), user));
        m.put("districtId", district);
        m.put("group", g.group());
        m.put("teacherName", teacher == null ? g.group().teacherId() : name(teacher));
        m.put("members", g.members().subList(0, Math.min(ConsoleRoutes.PAGE, g.members().size())));
        m.put("offset", offset);
        m.put("more", g.members().size() > ConsoleRoutes.PAGE);
        m.put("mayChange", access.mayChange(user, district));
        ctx.html(routes.render("group.jte", m));
    }

    // --- actions

    void createEmpty(Context ctx, AdminUser user) {
        create(ctx, user, (teacher, name) -> List.of(groups.createEmpty(teacher, name)));
    }

    void copyFromSection(Context ctx, AdminUser user) {
        String section = ConsoleRoutes.trim(ctx.formParam("section"));
        create(ctx, user, (teacher, name) -> List.of(groups.copyFromSection(teacher, section, name)));
    }

    /** Splits a section into {@code count} groups named {@code name 1} … {@code name N}. */
    void split(Context ctx, AdminUser user) {
        String section = ConsoleRoutes.trim(ctx.formParam("section"));
        String count = ConsoleRoutes.trim(ctx.formParam("count"));
        create(ctx, user, (teacher, name) -> {
            int n;
            try {
                n = Integer.parseInt(count == null ? "" : count);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 2 || n > MAX_SPLIT) {
                throw new dev.homeroom.engine.ConfigurationException("HR-ADMIN-056", "split into how many groups? give a number from 2 to "
                        + MAX_SPLIT + ", not '" + ConsoleRoutes.nz(count) + "'");
            }
            String base = name == null ? "" : name;
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                names.add(base.isEmpty() ? "" : base + " " + i);
            }
            return groups.split(teacher, section, names);
        });
    }

    @FunctionalInterface
    private interface Creation {
        List<CustomGroup> create(String teacherId, String name);
    }

    private void create(Context ctx, AdminUser user, Creation creation) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        String teacherId = ConsoleRoutes.trim(ctx.formParam("teacher"));
        GroupTeacher teacher = teacherId == null ? null : teacherOf(district, teacherId).orElse(null);
        if (teacher == null) {
            throw new Access.Refusal(HttpStatus.NOT_FOUND, "HR-ADMIN-051 district " + district + " has no teacher with Clever id "
                    + ConsoleRoutes.nz(teacherId));
        }
        String back = routes.base(ctx) + "/districts/" + ConsoleRoutes.enc(district) + "/groups?teacher=" + ConsoleRoutes.enc(teacher.teacherId());
        try {
            List<CustomGroup> made = creation.create(teacher.teacherId(), ctx.formParam("name"));
            LOG.info("HR-ADMIN-052 {} created {} custom groups of teacher {} (district {}): {}", user.name(), made.size(), teacher.teacherId(),
                    district, made.stream().map(CustomGroup::id).toList());
            String what = made.size() == 1 ? "Created group “" + made.get(0).name() + "” with " + made.get(0).members() + " members."
                    : "Created " + made.size() + " groups: " + String.join(", ", made.stream().limit(LISTED).map(g -> g.name() + " ("
                    + g.members() + ")").toList()) + (made.size() > LISTED ? " and " + (made.size() - LISTED) + " more" : "") + ".";
            routes.redirectWith(ctx, made.size() == 1 ? groupLink(ctx, district, made.get(0).id()) : back, "notice", what);
        } catch (HomeroomException e) {
            routes.redirectWith(ctx, back, "error", ConsoleRoutes.oneLine(e));
        }
    }

    /** Adds the students typed (Clever ids, separated by spaces, commas or lines) or removes the members ticked. */
    void members(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        CustomGroup g = districtsGroup(district, ctx.pathParam("group"), 1, 0).group();
        String back = groupLink(ctx, district, g.id());
        boolean remove = "remove".equals(ctx.formParam("action"));
        List<String> ids = remove ? ctx.formParams("member")
                : Arrays.stream(ConsoleRoutes.nz(ctx.formParam("students")).split("[\\s,;]+")).filter(s -> !s.isBlank()).toList();
        if (ids.isEmpty()) {
            routes.redirectWith(ctx, back, "error", remove ? "HR-ADMIN-055 tick at least one member to remove"
                    : "HR-ADMIN-055 type at least one student's Clever id to add");
            return;
        }
        try {
            CustomGroup after = remove ? groups.removeMembers(g.id(), ids) : groups.addMembers(g.id(), ids);
            LOG.info("HR-ADMIN-053 {} {} {} members of custom group {} (district {})", user.name(), remove ? "removed" : "added", ids.size(),
                    g.id(), district);
            routes.redirectWith(ctx, back, "notice", (remove ? "Removed " : "Added ") + ids.size() + (ids.size() == 1 ? " member" : " members")
                    + "; the group has " + after.members() + " now.");
        } catch (HomeroomException e) {
            routes.redirectWith(ctx, back, "error", ConsoleRoutes.oneLine(e));
        }
    }

    void rename(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        CustomGroup g = districtsGroup(district, ctx.pathParam("group"), 1, 0).group();
        try {
            CustomGroup after = groups.rename(g.id(), ctx.formParam("name"));
            LOG.info("HR-ADMIN-054 {} renamed custom group {} (district {})", user.name(), g.id(), district);
            routes.redirectWith(ctx, groupLink(ctx, district, g.id()), "notice", "Renamed to “" + after.name() + "”.");
        } catch (HomeroomException e) {
            routes.redirectWith(ctx, groupLink(ctx, district, g.id()), "error", ConsoleRoutes.oneLine(e));
        }
    }

    void delete(Context ctx, AdminUser user) {
        String district = ctx.pathParam("district");
        access.requireChange(user, district);
        CustomGroup g = districtsGroup(district, ctx.pathParam("group"), 1, 0).group();
        String back = routes.base(ctx) + "/districts/" + ConsoleRoutes.enc(district) + "/groups?teacher=" + ConsoleRoutes.enc(g.teacherId());
        try {
            groups.delete(g.id());
            LOG.info("HR-ADMIN-054 {} deleted custom group {} (district {})", user.name(), g.id(), district);
            routes.redirectWith(ctx, back, "notice", "Deleted group “" + g.name() + "” and its " + g.members() + " memberships.");
        } catch (HomeroomException e) {
            routes.redirectWith(ctx, groupLink(ctx, district, g.id()), "error", ConsoleRoutes.oneLine(e));
        }
    }

    // --- helpers

    /** The district's teacher account with exactly this Clever id, if any. */
    private Optional<GroupTeacher> teacherOf(String district, String teacherId) {
        return groups.teachers(district, teacherId, null, 1).stream().filter(t -> t.teacherId().equals(teacherId)).findFirst();
    }

    /** The group with a page of its members, if it is this district's; a 404 otherwise (nothing read of another district). */
    private GroupWithMembers districtsGroup(String district, String groupId, int limit, int offset) {
        return groups.group(groupId, limit, offset).filter(g -> g.group().districtId().equals(district))
                .orElseThrow(() -> new Access.Refusal(HttpStatus.NOT_FOUND, "HR-ADMIN-050 district " + district + " has no custom group " + groupId));
    }

    private String groupLink(Context ctx, String district, String groupId) {
        return routes.base(ctx) + "/districts/" + ConsoleRoutes.enc(district) + "/groups/" + ConsoleRoutes.enc(groupId);
    }

    static String name(GroupTeacher t) {
        String n = (ConsoleRoutes.nz(t.firstName()) + " " + ConsoleRoutes.nz(t.lastName())).strip();
        return n.isEmpty() ? t.teacherId() : n;
    }
}
