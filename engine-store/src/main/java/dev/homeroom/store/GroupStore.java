package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.CUSTOM_GROUP;
import static dev.homeroom.store.internal.jooq.Tables.CUSTOM_GROUP_MEMBER;
import static dev.homeroom.store.internal.jooq.Tables.DISTRICT;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.impl.DSL;

/**
 * Teachers' custom groups (issue 10 item 4): groups and their members, and the store's view of a teacher's sections
 * and students they are made from. Teacher data, not Clever's: no run writes these tables except {@link #reissue},
 * which lets members and owners follow an account Clever reissued. A member's active state is read from its account at
 * each read, never stored. Tables: {@code custom_group}, {@code custom_group_member}; reads {@code account},
 * {@code classroom}, {@code classroom_membership}.
 */
@API(status = API.Status.INTERNAL)
public final class GroupStore {
    private static final String STUDENT = "student";
    private static final String TEACHER = "teacher";

    private final DSLContext ctx;

    GroupStore(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** A group as stored, with how many of its members have an active account and how many do not. */
    public record GroupRow(String groupId, String districtId, String ownerId, String name, String origin, String sourceSectionId,
                           LocalDateTime createdAt, LocalDateTime editedAt, int activeMembers, int inactiveMembers) {}

    /** A member, with its name and whether its account is active now. */
    public record MemberRow(String userId, String firstName, String lastName, String addedHow, LocalDateTime addedAt, boolean active) {}

    /** A teacher account the store holds: its district and whether it is active. */
    public record TeacherRow(String districtId, boolean active) {}

    /** A teacher account of a district, with its names, as a list of teachers shows it. */
    public record TeacherAccountRow(String districtId, String teacherId, String firstName, String lastName, boolean active) {}

    /** A class a teacher teaches: its id, name, whether it is active and how many students it has now. */
    public record TeacherSectionRow(String sectionId, String name, boolean active, int students) {}

    /** The most rows one page of the paged reads below holds. */
    public static final int MAX_PAGE = 500;

    /**
     * The districts in which this Clever id has a teacher account. From the few districts to the account's primary key
     * (district, Clever id, role), so a store of millions of accounts reads one row per district.
     */
    public List<TeacherRow> teacher(String teacherId) {
        return ctx.select(ACCOUNT.DISTRICT_ID, ACCOUNT.ACTIVE).from(DISTRICT)
                .join(ACCOUNT).on(ACCOUNT.DISTRICT_ID.eq(DISTRICT.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(teacherId), ACCOUNT.ACCOUNT_ROLE.eq(TEACHER))
                .orderBy(ACCOUNT.DISTRICT_ID)
                .fetch(r -> new TeacherRow(r.value1(), r.value2()));
    }

    /**
     * A page of a district's teacher accounts whose Clever id starts with {@code idPrefix} (null or empty for all), by id
     * after {@code afterId} (null for the first page); at most {@code limit} (500). A range of the primary key
     * (district, Clever id, role), so a page costs the same in a district of any size.
     */
    public List<TeacherAccountRow> teachers(String districtId, String idPrefix, String afterId, int limit) {
        var a = ACCOUNT;
        Condition where = a.DISTRICT_ID.eq(districtId).and(a.ACCOUNT_ROLE.eq(TEACHER));
        if (idPrefix != null && !idPrefix.isEmpty()) {
            where = where.and(a.CLEVER_ID.ge(idPrefix)).and(a.CLEVER_ID.lt(idPrefix + '\uffff'));
        }
        if (afterId != null) {
            where = where.and(a.CLEVER_ID.gt(afterId));
        }
        return ctx.select(a.DISTRICT_ID, a.CLEVER_ID, a.FIRST_NAME, a.LAST_NAME, a.ACTIVE).from(a).where(where)
                .orderBy(a.CLEVER_ID).limit(bounded(limit))
                .fetch(r -> new TeacherAccountRow(r.value1(), r.value2(), r.value3(), r.value4(), Boolean.TRUE.equals(r.value5())));
    }

    /**
     * The classes a teacher has an active teacher membership of, by name and id, with their students now; at most
     * {@code limit} (500). From the index on the memberships' (district, user); each class by its primary key.
     */
    public List<TeacherSectionRow> teacherSections(String districtId, String teacherId, int limit) {
        var t = CLASSROOM_MEMBERSHIP.as("t");
        var s = CLASSROOM_MEMBERSHIP.as("s");
        var c = CLASSROOM;
        Field<Integer> students = DSL.field(DSL.selectCount().from(s).where(s.DISTRICT_ID.eq(t.DISTRICT_ID), s.CLASS_ID.eq(t.CLASS_ID),
                s.ROLE.eq(STUDENT), s.ACTIVE.isTrue()));
        return ctx.select(c.CLEVER_ID, c.NAME, c.ACTIVE, students).from(t)
                .join(c).on(c.DISTRICT_ID.eq(t.DISTRICT_ID), c.CLEVER_ID.eq(t.CLASS_ID))
                .where(t.DISTRICT_ID.eq(districtId), t.USER_ID.eq(teacherId), t.ROLE.eq(TEACHER), t.ACTIVE.isTrue())
                .orderBy(c.NAME, c.CLEVER_ID).limit(bounded(limit))
                .fetch(r -> new TeacherSectionRow(r.value1(), r.value2(), Boolean.TRUE.equals(r.value3()), r.value4() == null ? 0 : r.value4()));
    }

    private static int bounded(int limit) {
        return Math.max(1, Math.min(limit, MAX_PAGE));
    }

    /** A class of this district: whether it is active; empty when the district has no class with this id. */
    public Optional<Boolean> classActive(String districtId, String sectionId) {
        return ctx.select(CLASSROOM.ACTIVE).from(CLASSROOM)
                .where(CLASSROOM.DISTRICT_ID.eq(districtId), CLASSROOM.CLEVER_ID.eq(sectionId))
                .fetchOptional(CLASSROOM.ACTIVE);
    }

    /** Whether the teacher has an active teacher membership of this class. */
    public boolean teaches(String districtId, String teacherId, String sectionId) {
        var m = CLASSROOM_MEMBERSHIP;
        return ctx.fetchExists(m, m.DISTRICT_ID.eq(districtId), m.CLASS_ID.eq(sectionId), m.USER_ID.eq(teacherId),
                m.ROLE.eq(TEACHER), m.ACTIVE.isTrue());
    }

    /** The students of a class now (active student memberships), by Clever id. */
    public List<String> sectionStudents(String districtId, String sectionId) {
        var m = CLASSROOM_MEMBERSHIP;
        return ctx.select(m.USER_ID).from(m)
                .where(m.DISTRICT_ID.eq(districtId), m.CLASS_ID.eq(sectionId), m.ROLE.eq(STUDENT), m.ACTIVE.isTrue())
                .orderBy(m.USER_ID).fetch(m.USER_ID);
    }

    /**
     * Of these ids, those that are the teacher's students: an active student membership of a class the teacher has an
     * active teacher membership of (what Clever's {@code /users/{id}/mystudents} lists, from the store).
     */
    public Set<String> teachersStudents(String districtId, String teacherId, Collection<String> ids) {
        var s = CLASSROOM_MEMBERSHIP.as("s");
        var t = CLASSROOM_MEMBERSHIP.as("t");
        Set<String> out = new LinkedHashSet<>();
        for (List<String> chunk : Sql.chunks(List.copyOf(ids))) {
            ctx.selectDistinct(s.USER_ID).from(Sql.joinIds(s, s.USER_ID, chunk))
                    .join(t).on(t.DISTRICT_ID.eq(s.DISTRICT_ID), t.CLASS_ID.eq(s.CLASS_ID), t.USER_ID.eq(teacherId),
                            t.ROLE.eq(TEACHER), t.ACTIVE.isTrue())
                    .where(s.DISTRICT_ID.eq(districtId), s.ROLE.eq(STUDENT), s.ACTIVE.isTrue())
                    .forEach(r -> out.add(r.value1()));
        }
        return out;
    }

    /** All the teacher's students now, by Clever id ({@link #teachersStudents(String, String, Collection)} for every id). */
    public List<String> teachersStudents(String districtId, String teacherId) {
        var s = CLASSROOM_MEMBERSHIP.as("s");
        var t = CLASSROOM_MEMBERSHIP.as("t");
        return ctx.selectDistinct(s.USER_ID).from(t)
                .join(s).on(s.DISTRICT_ID.eq(t.DISTRICT_ID), s.CLASS_ID.eq(t.CLASS_ID), s.ROLE.eq(STUDENT), s.ACTIVE.isTrue())
                .where(t.DISTRICT_ID.eq(districtId), t.USER_ID.eq(teacherId), t.ROLE.eq(TEACHER), t.ACTIVE.isTrue())
                .orderBy(s.USER_ID).fetch(s.USER_ID);
    }

    /** The districts in which this Clever id has an account (any role, active or not). */
    public List<String> accountDistricts(String userId) {
        return ctx.selectDistinct(ACCOUNT.DISTRICT_ID).from(DISTRICT)
                .join(ACCOUNT).on(ACCOUNT.DISTRICT_ID.eq(DISTRICT.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(userId))
                .orderBy(ACCOUNT.DISTRICT_ID).fetch(ACCOUNT.DISTRICT_ID);
    }

    /** Stores a new group with its first members (each with how it was added). */
    public void create(String groupId, String districtId, String ownerId, String name, String origin, String sourceSectionId,
                       LocalDateTime at, Collection<String> members, String addedHow) {
        var g = CUSTOM_GROUP;
        ctx.insertInto(g).set(g.GROUP_ID, groupId).set(g.DISTRICT_ID, districtId).set(g.OWNER_ID, ownerId).set(g.NAME, name)
                .set(g.ORIGIN, origin).set(g.SOURCE_SECTION_ID, sourceSectionId).set(g.CREATED_AT, at).set(g.EDITED_AT, at).execute();
        addMembers(groupId, districtId, members, addedHow, at);
    }

    /** Adds members that are not in the group yet; returns how many were added. */
    public int addMembers(String groupId, String districtId, Collection<String> userIds, String addedHow, LocalDateTime at) {
        var m = CUSTOM_GROUP_MEMBER;
        Set<String> present = new java.util.HashSet<>(ctx.select(m.USER_ID).from(m).where(m.GROUP_ID.eq(groupId)).fetch(m.USER_ID));
        List<Query> inserts = new ArrayList<>();
        for (String id : new LinkedHashSet<>(userIds)) {
            if (present.add(id)) {
                inserts.add(ctx.insertInto(m).set(m.GROUP_ID, groupId).set(m.DISTRICT_ID, districtId).set(m.USER_ID, id)
                        .set(m.ADDED_HOW, addedHow).set(m.ADDED_AT, at));
            }
        }
        if (!inserts.isEmpty()) {
            ctx.batch(inserts).execute();
        }
        return inserts.size();
    }

    /** Removes these members; returns how many were in the group. */
    public int removeMembers(String groupId, Collection<String> userIds) {
        var m = CUSTOM_GROUP_MEMBER;
        int removed = 0;
        for (List<String> chunk : Sql.chunks(List.copyOf(new LinkedHashSet<>(userIds)))) {
            removed += ctx.deleteFrom(m).where(m.GROUP_ID.eq(groupId), m.USER_ID.in(chunk)).execute();
        }
        return removed;
    }

    /** Which of these ids are members of the group. */
    public Set<String> members(String groupId, Collection<String> userIds) {
        var m = CUSTOM_GROUP_MEMBER;
        Set<String> out = new LinkedHashSet<>();
        for (List<String> chunk : Sql.chunks(List.copyOf(userIds))) {
            ctx.select(m.USER_ID).from(m).where(m.GROUP_ID.eq(groupId), m.USER_ID.in(chunk)).forEach(r -> out.add(r.value1()));
        }
        return out;
    }

    public void rename(String groupId, String name, LocalDateTime at) {
        ctx.update(CUSTOM_GROUP).set(CUSTOM_GROUP.NAME, name).set(CUSTOM_GROUP.EDITED_AT, at)
                .where(CUSTOM_GROUP.GROUP_ID.eq(groupId)).execute();
    }

    public void touch(String groupId, LocalDateTime at) {
        ctx.update(CUSTOM_GROUP).set(CUSTOM_GROUP.EDITED_AT, at).where(CUSTOM_GROUP.GROUP_ID.eq(groupId)).execute();
    }

    /** Deletes a group and its members; returns whether it existed. */
    public boolean delete(String groupId) {
        ctx.deleteFrom(CUSTOM_GROUP_MEMBER).where(CUSTOM_GROUP_MEMBER.GROUP_ID.eq(groupId)).execute();
        return ctx.deleteFrom(CUSTOM_GROUP).where(CUSTOM_GROUP.GROUP_ID.eq(groupId)).execute() > 0;
    }

    /** One group with its member counts. */
    public Optional<GroupRow> group(String groupId) {
        return groups(CUSTOM_GROUP.GROUP_ID.eq(groupId), 0, 0).stream().findFirst();
    }

    /** A teacher's groups in a district, oldest first. */
    public List<GroupRow> groupsOf(String districtId, String ownerId) {
        return groups(CUSTOM_GROUP.DISTRICT_ID.eq(districtId).and(CUSTOM_GROUP.OWNER_ID.eq(ownerId)), 0, 0);
    }

    /** A page of a teacher's groups in a district, oldest first: at most {@code limit} (500) from {@code offset}. */
    public List<GroupRow> groupsOf(String districtId, String ownerId, int limit, int offset) {
        return groups(CUSTOM_GROUP.DISTRICT_ID.eq(districtId).and(CUSTOM_GROUP.OWNER_ID.eq(ownerId)), bounded(limit), Math.max(0, offset));
    }

    /** The groups a user is a member of in a district, oldest first. */
    public List<GroupRow> groupsWithMember(String districtId, String userId) {
        var m = CUSTOM_GROUP_MEMBER;
        return groups(CUSTOM_GROUP.GROUP_ID.in(DSL.select(m.GROUP_ID).from(m).where(m.DISTRICT_ID.eq(districtId), m.USER_ID.eq(userId))), 0, 0);
    }

    /** The groups that match, oldest first; at most {@code limit} from {@code offset} (limit 0: all). */
    private List<GroupRow> groups(Condition which, int limit, int offset) {
        var g = CUSTOM_GROUP;
        var m = CUSTOM_GROUP_MEMBER;
        Field<Integer> active = DSL.sum(DSL.when(activeAccount(m.DISTRICT_ID, m.USER_ID), 1).otherwise(0)).cast(Integer.class);
        Field<Integer> all = DSL.count(m.USER_ID);
        var query = ctx.select(g.GROUP_ID, g.DISTRICT_ID, g.OWNER_ID, g.NAME, g.ORIGIN, g.SOURCE_SECTION_ID, g.CREATED_AT, g.EDITED_AT, active, all)
                .from(g).leftJoin(m).on(m.GROUP_ID.eq(g.GROUP_ID))
                .where(which)
                .groupBy(g.GROUP_ID, g.DISTRICT_ID, g.OWNER_ID, g.NAME, g.ORIGIN, g.SOURCE_SECTION_ID, g.CREATED_AT, g.EDITED_AT)
                .orderBy(g.CREATED_AT, g.NAME, g.GROUP_ID);
        org.jooq.ResultQuery<org.jooq.Record10<String, String, String, String, String, String, LocalDateTime, LocalDateTime, Integer, Integer>> page =
                limit > 0 ? query.limit(limit).offset(offset) : query;
        return page.fetch(r -> {
            int on = r.value9() == null ? 0 : r.value9();
            return new GroupRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), r.value7(), r.value8(),
                    on, r.value10() - on);
        });
    }

    /** A group's members, by last name, first name and Clever id, each active when an account of it is active now. */
    public List<MemberRow> members(String groupId) {
        var m = CUSTOM_GROUP_MEMBER;
        Field<Boolean> active = DSL.field(activeAccount(m.DISTRICT_ID, m.USER_ID));
        List<MemberRow> out = new ArrayList<>();
        ctx.select(m.USER_ID, memberName(ACCOUNT.FIRST_NAME), memberName(ACCOUNT.LAST_NAME), m.ADDED_HOW, m.ADDED_AT, active)
                .from(m).where(m.GROUP_ID.eq(groupId))
                .forEach(r -> out.add(new MemberRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), Boolean.TRUE.equals(r.value6()))));
        out.sort(java.util.Comparator.comparing((MemberRow r) -> r.lastName() == null ? "" : r.lastName())
                .thenComparing(r -> r.firstName() == null ? "" : r.firstName()).thenComparing(MemberRow::userId));
        return out;
    }

    /**
     * A page of a group's members, by last name, first name and Clever id (no name sorts first): at most {@code limit}
     * (500) from {@code offset}, each active when an account of it is active now.
     */
    public List<MemberRow> members(String groupId, int limit, int offset) {
        var m = CUSTOM_GROUP_MEMBER;
        Field<String> first = memberName(ACCOUNT.FIRST_NAME);
        Field<String> last = memberName(ACCOUNT.LAST_NAME);
        Field<Boolean> active = DSL.field(activeAccount(m.DISTRICT_ID, m.USER_ID));
        var f = first.as("first_name");
        var l = last.as("last_name");
        return ctx.select(m.USER_ID, f, l, m.ADDED_HOW, m.ADDED_AT, active).from(m).where(m.GROUP_ID.eq(groupId))
                .orderBy(DSL.coalesce(last, DSL.inline("")), DSL.coalesce(first, DSL.inline("")), m.USER_ID)
                .limit(bounded(limit)).offset(Math.max(0, offset))
                .fetch(r -> new MemberRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), Boolean.TRUE.equals(r.value6())));
    }

    /** A group member's name from its accounts (any role: they share it). */
    private static Field<String> memberName(Field<String> column) {
        var m = CUSTOM_GROUP_MEMBER;
        return DSL.field(DSL.select(DSL.max(column)).from(ACCOUNT).where(ACCOUNT.DISTRICT_ID.eq(m.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(m.USER_ID)));
    }

    private static Condition activeAccount(Field<String> districtId, Field<String> userId) {
        return DSL.exists(DSL.selectOne().from(ACCOUNT)
                .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(userId), ACCOUNT.ACTIVE.isTrue()));
    }

    /**
     * Clever reissued a user under a new id and its account moved there ({@link IdentityStore#link}): its group
     * memberships and the groups it owns move with it. Returns the queries, for the caller's batch.
     */
    List<Query> reissue(String districtId, String oldId, String newId) {
        return List.of(
                ctx.update(CUSTOM_GROUP_MEMBER).set(CUSTOM_GROUP_MEMBER.USER_ID, newId)
                        .where(CUSTOM_GROUP_MEMBER.DISTRICT_ID.eq(districtId), CUSTOM_GROUP_MEMBER.USER_ID.eq(oldId)),
                ctx.update(CUSTOM_GROUP).set(CUSTOM_GROUP.OWNER_ID, newId)
                        .where(CUSTOM_GROUP.DISTRICT_ID.eq(districtId), CUSTOM_GROUP.OWNER_ID.eq(oldId)));
    }
}
