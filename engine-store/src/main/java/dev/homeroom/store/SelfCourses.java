package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.COURSE;

import dev.homeroom.spi.RecordKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * P13 {@code students.multi_class = SELF_COURSE}: each student whose account carries the {@value #FLAG} flag gets one
 * self-generated course, a row of the {@code course} table keyed {@code self:<student Clever id>}, marked
 * {@code self_generated}, named after the student, whose {@code section_ids} list the classes the student is an active
 * member of (sorted Clever section ids, comma-separated). Derived after memberships, like a default class: it follows
 * the student's classes, and is deactivated when the student's account is, the flag goes, or no class is left. Rows
 * are written through {@link ProvisioningStore#reconcile}, so the outbox, revert and MANUAL plans see them as courses.
 */
@API(status = API.Status.INTERNAL)
public final class SelfCourses {
    /** The account flag (set by the P13 rules) asking for a self-generated course. */
    public static final String FLAG = "SELF_COURSE";
    /** The key prefix of self-generated courses. */
    public static final String PREFIX = "self:";

    private final DSLContext ctx;
    private final ProvisioningStore provisioning;

    SelfCourses(DSLContext ctx, ProvisioningStore provisioning) {
        this.ctx = ctx;
        this.provisioning = provisioning;
    }

    /** The key of a student's self-generated course. */
    public static String keyOf(String studentId) {
        return PREFIX + studentId;
    }

    /** The student a self-generated course's key belongs to, or null for a key that is not one. */
    public static String studentOf(String courseKey) {
        return courseKey != null && courseKey.startsWith(PREFIX) ? courseKey.substring(PREFIX.length()) : null;
    }

    /** Whether the district has an active self-generated course (to deactivate once P13 is no longer SELF_COURSE). */
    public boolean anyActive(String districtId) {
        return ctx.fetchExists(COURSE, COURSE.DISTRICT_ID.eq(districtId), COURSE.SELF_GENERATED.isTrue(), COURSE.ACTIVE.isTrue());
    }

    /** Brings every self-generated course of the district in line (a run that changed many records). */
    public Map<String, ProvisionedChange> derive(String districtId, String runId) {
        return derive(districtId, runId, null, null);
    }

    /**
     * Brings the self-generated courses of these users and of the members of these sections (now or before:
     * memberships are deactivated, never deleted) in line. Returns the change per course key.
     */
    public Map<String, ProvisionedChange> derive(String districtId, String runId, Collection<String> sections, Collection<String> users) {
        if (users == null) {
            return apply(districtId, runId, null);
        }
        var m = CLASSROOM_MEMBERSHIP;
        Set<String> students = new TreeSet<>(users);
        for (List<String> chunk : Sql.chunks(List.copyOf(sections))) {
            ctx.selectDistinct(m.USER_ID).from(Sql.joinIds(m, m.CLASS_ID, chunk))
                    .where(m.DISTRICT_ID.eq(districtId), m.ROLE.eq("student"))
                    .forEach(x -> students.add(x.value1()));
        }
        Map<String, ProvisionedChange> out = new LinkedHashMap<>();
        for (List<String> chunk : Sql.chunks(List.copyOf(students))) {
            out.putAll(apply(districtId, runId, chunk));
        }
        return out;
    }

    /** One batch: {@code students} null means the whole district. */
    private Map<String, ProvisionedChange> apply(String districtId, String runId, List<String> students) {
        var m = CLASSROOM_MEMBERSHIP;
        // only flagged students are read: a district of a million students does not load a million rows here
        Condition flagged = DSL.coalesce(ACCOUNT.FLAGS, "").like("%" + FLAG + "%").and(ACCOUNT.ACTIVE.isTrue())
                .and(ACCOUNT.ACCOUNT_ROLE.eq("student"));
        var accounts = students == null ? ACCOUNT : Sql.joinIds(ACCOUNT, ACCOUNT.CLEVER_ID, students);
        Map<String, String> names = new TreeMap<>();
        ctx.select(ACCOUNT.CLEVER_ID, ACCOUNT.FIRST_NAME, ACCOUNT.LAST_NAME).from(accounts)
                .where(ACCOUNT.DISTRICT_ID.eq(districtId), flagged)
                .forEach(x -> names.put(x.value1(), name(x.value2(), x.value3())));
        Map<String, Set<String>> classes = new TreeMap<>();
        var memberships = students == null ? m : Sql.joinIds(m, m.USER_ID, students);
        ctx.select(m.USER_ID, m.CLASS_ID).from(memberships)
                .join(ACCOUNT).on(ACCOUNT.DISTRICT_ID.eq(m.DISTRICT_ID), ACCOUNT.CLEVER_ID.eq(m.USER_ID))
                .where(m.DISTRICT_ID.eq(districtId), m.ROLE.eq("student"), m.ACTIVE.isTrue(), flagged)
                .forEach(x -> classes.computeIfAbsent(x.value1(), k -> new TreeSet<>()).add(x.value2()));
        List<Provisioned> desired = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (var e : classes.entrySet()) {
            String key = keyOf(e.getKey());
            wanted.add(key);
            Map<String, Object> values = new LinkedHashMap<>();
            String student = names.get(e.getKey());
            values.put("name", (student == null ? "Student " + e.getKey() : student) + " — my classes");
            values.put("number", null);
            values.put("self_generated", true);
            values.put("section_ids", String.join(",", e.getValue()));
            desired.add(new Provisioned(RecordKind.COURSE, key, null, true, values));
        }
        // the active self-generated courses in scope that are no longer wanted: the student's account closed, the flag
        // went (the policy changed, or the student is in one section now) or no class is left
        List<String> off = new ArrayList<>();
        Condition self = COURSE.DISTRICT_ID.eq(districtId).and(COURSE.SELF_GENERATED.isTrue()).and(COURSE.ACTIVE.isTrue());
        if (students == null) {
            ctx.select(COURSE.CLEVER_ID).from(COURSE).where(self).forEach(x -> {
                if (!wanted.contains(x.value1())) {
                    off.add(x.value1());
                }
            });
        } else {
            List<String> keys = students.stream().map(SelfCourses::keyOf).toList();
            ctx.select(COURSE.CLEVER_ID).from(Sql.joinIds(COURSE, COURSE.CLEVER_ID, keys)).where(self).forEach(x -> {
                if (!wanted.contains(x.value1())) {
                    off.add(x.value1());
                }
            });
        }
        if (desired.isEmpty() && off.isEmpty()) {
            return Map.of();
        }
        return provisioning.reconcile(districtId, runId, RecordKind.COURSE, desired, off);
    }

    private static String name(String first, String last) {
        String n = ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
        return n.isEmpty() ? null : n;
    }
}
