package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;

import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.ContentHash;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * A host's own classes, students and memberships beside Clever's (P21 PARTIAL_LOCKDOWN and TWO_WAY): rows of
 * {@code classroom}, {@code account} and {@code classroom_membership} marked {@code manual}, with ids Clever never uses
 * ({@value #ID_PREFIX} and a UUID). A sync never changes them: the other stores skip manual rows. What this store writes
 * goes to the outbox like a sync's changes, under the run id the caller gives (one run per host change).
 */
@API(status = API.Status.INTERNAL)
public final class ManualStore {
    /** How every manual id starts; Clever's ids are 24 hexadecimal digits. */
    public static final String ID_PREFIX = "manual-";
    /** The role of a manual student's account and of every manual membership. */
    public static final String STUDENT = "student";
    /** The most rows a page of {@link #rows(String, RecordKind, String, int)} or {@link #memberships(String, String, String, int)} holds. */
    public static final int MAX_PAGE = 500;

    private final DSLContext ctx;
    private final Vendor vendor;
    private final OutboxStore outbox;

    ManualStore(DSLContext ctx, Vendor vendor, OutboxStore outbox) {
        this.ctx = ctx;
        this.vendor = vendor;
        this.outbox = outbox;
    }

    /** A manual class or student as the host sees it. */
    public record ManualRow(String districtId, RecordKind kind, String id, Map<String, String> values, boolean active,
                            String createdRun, String updatedRun) {}

    /** A membership row: manual ({@code hostActive} is what the host asked for) or Clever's ({@code hostActive} null). */
    public record MembershipRow(String districtId, String classId, String userId, String role, boolean manual, Boolean hostActive,
                                boolean active, String updatedRun) {}

    /** The district and manual flag of a class or student row with this id, if any. */
    public record Found(String districtId, boolean manual, boolean active) {}

    /** A new id for a manual record: never one of Clever's. */
    public static String newId() {
        return ID_PREFIX + UUID.randomUUID();
    }

    /** Whether the store holds this district (it was synced at least once). */
    public boolean districtKnown(String districtId) {
        return ctx.fetchExists(dev.homeroom.store.internal.jooq.Tables.DISTRICT,
                dev.homeroom.store.internal.jooq.Tables.DISTRICT.DISTRICT_ID.eq(districtId));
    }

    /** Removes the run of a host change that changed nothing (it wrote no outbox entry), so it is not listed. */
    public void deleteEmptyRun(String runId) {
        var r = dev.homeroom.store.internal.jooq.Tables.SYNC_RUN;
        ctx.deleteFrom(r).where(r.RUN_ID.eq(runId), DSL.notExists(DSL.selectOne().from(dev.homeroom.store.internal.jooq.Tables.OUTBOX)
                .where(dev.homeroom.store.internal.jooq.Tables.OUTBOX.RUN_ID.eq(runId)))).execute();
    }

    // ---- classes ----

    public void createClass(String districtId, String runId, String id, String name, String subject, String grade) {
        Map<Field<?>, Object> values = classValues(name, subject, grade);
        BulkWrites writes = new BulkWrites(ctx, vendor);
        Map<Field<?>, Object> row = new LinkedHashMap<>(values);
        row.put(CLASSROOM.DISTRICT_ID, districtId);
        row.put(CLASSROOM.CLEVER_ID, id);
        row.put(CLASSROOM.ACTIVE, true);
        row.put(CLASSROOM.CONTENT_HASH, ContentHash.of(values));
        row.put(CLASSROOM.CREATED_RUN, runId);
        row.put(CLASSROOM.UPDATED_RUN, runId);
        row.put(CLASSROOM.MANUAL, true);
        writes.insert(CLASSROOM, row);
        outbox.add(writes, districtId, runId, RecordKind.SECTION, id, ProvisionedChange.CREATED);
        writes.execute();
    }

    /** Replaces a manual class's name, subject and grade; returns whether anything changed. */
    public boolean editClass(String districtId, String runId, String id, String name, String subject, String grade) {
        return edit(districtId, runId, CLASSROOM, CLASSROOM.DISTRICT_ID.eq(districtId).and(CLASSROOM.CLEVER_ID.eq(id))
                .and(CLASSROOM.MANUAL.isTrue()), CLASSROOM.CONTENT_HASH, CLASSROOM.UPDATED_RUN, classValues(name, subject, grade),
                RecordKind.SECTION, id);
    }

    /**
     * Replaces the values of one manual row of {@code table} when their hash differs from the stored one, with an outbox
     * entry under {@code outboxKey}; returns whether anything changed.
     */
    private boolean edit(String districtId, String runId, Table<?> table, Condition row, Field<String> contentHash,
                         Field<String> updatedRun, Map<Field<?>, Object> values, RecordKind kind, String outboxKey) {
        String hash = ContentHash.of(values);
        if (hash.equals(ctx.select(contentHash).from(table).where(row).fetchOne(contentHash))) {
            return false;
        }
        BulkWrites writes = new BulkWrites(ctx, vendor);
        Map<Field<?>, Object> update = new LinkedHashMap<>(values);
        update.put(contentHash, hash);
        update.put(updatedRun, runId);
        writes.add(ctx.update(table).set(update).where(row));
        outbox.add(writes, districtId, runId, kind, outboxKey, ProvisionedChange.UPDATED);
        writes.execute();
        return true;
    }

    private static Map<Field<?>, Object> classValues(String name, String subject, String grade) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(CLASSROOM.NAME, name);
        values.put(CLASSROOM.DISPLAY_NAME, name);
        values.put(CLASSROOM.SUBJECT, subject);
        values.put(CLASSROOM.GRADE, grade);
        return values;
    }

    // ---- students ----

    public void createStudent(String districtId, String runId, String id, String firstName, String lastName, String email,
                              String grade) {
        Map<Field<?>, Object> values = studentValues(firstName, lastName, email, grade);
        BulkWrites writes = new BulkWrites(ctx, vendor);
        Map<Field<?>, Object> row = new LinkedHashMap<>(values);
        row.put(ACCOUNT.DISTRICT_ID, districtId);
        row.put(ACCOUNT.CLEVER_ID, id);
        row.put(ACCOUNT.ACCOUNT_ROLE, STUDENT);
        row.put(ACCOUNT.GRANTED_ROLES, STUDENT);
        row.put(ACCOUNT.ACTIVE, true);
        row.put(ACCOUNT.CONTENT_HASH, ContentHash.of(values));
        row.put(ACCOUNT.CREATED_RUN, runId);
        row.put(ACCOUNT.UPDATED_RUN, runId);
        row.put(ACCOUNT.MANUAL, true);
        writes.insert(ACCOUNT, row);
        outbox.add(writes, districtId, runId, RecordKind.USER, id + "/" + STUDENT, ProvisionedChange.CREATED);
        writes.execute();
    }

    /** Replaces a manual student's names, email and grade; returns whether anything changed. */
    public boolean editStudent(String districtId, String runId, String id, String firstName, String lastName, String email,
                               String grade) {
        return edit(districtId, runId, ACCOUNT, ACCOUNT.DISTRICT_ID.eq(districtId).and(ACCOUNT.CLEVER_ID.eq(id))
                .and(ACCOUNT.MANUAL.isTrue()), ACCOUNT.CONTENT_HASH, ACCOUNT.UPDATED_RUN,
                studentValues(firstName, lastName, email, grade), RecordKind.USER, id + "/" + STUDENT);
    }

    private static Map<Field<?>, Object> studentValues(String firstName, String lastName, String email, String grade) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(ACCOUNT.FIRST_NAME, firstName);
        values.put(ACCOUNT.LAST_NAME, lastName);
        values.put(ACCOUNT.EMAIL, email);
        values.put(ACCOUNT.GRADE, grade);
        return values;
    }

    // ---- both ----

    /** The class (SECTION) or student (USER) rows with this id, in any district: where it is and whether it is manual. */
    public List<Found> find(RecordKind kind, String id) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        return ctx.select(pt.district(), pt.manual(), pt.active()).from(pt.table()).where(pt.cleverId().eq(id))
                .fetch(r -> new Found(r.value1(), Boolean.TRUE.equals(r.value2()), Boolean.TRUE.equals(r.value3())));
    }

    /** Deactivates or reactivates a manual class or student (never deleted); returns whether it changed. */
    public boolean setActive(String districtId, String runId, RecordKind kind, String id, boolean active) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        Condition row = pt.district().eq(districtId).and(pt.cleverId().eq(id)).and(pt.manual().isTrue())
                .and(pt.active().ne(active));
        BulkWrites writes = new BulkWrites(ctx, vendor);
        int n = ctx.update(pt.table()).set(pt.active(), active).set(pt.updatedRun(), runId).where(row).execute();
        if (n == 0) {
            return false;
        }
        outbox.add(writes, districtId, runId, kind, kind == RecordKind.USER ? id + "/" + STUDENT : id,
                active ? ProvisionedChange.REACTIVATED : ProvisionedChange.DEACTIVATED);
        writes.execute();
        return true;
    }

    /** The manual classes or students of a district, by id. */
    public List<ManualRow> rows(String districtId, RecordKind kind) {
        return rows(districtId, kind, DSL.trueCondition(), 0);
    }

    /**
     * A page of a district's manual classes or students: at most {@code limit} (500), by id after {@code afterId} (null
     * for the first page). Every manual id starts with {@value #ID_PREFIX}, so the page is a range of the primary key
     * (district, id) and reads only manual rows, whatever the size of the district's synced rows.
     */
    public List<ManualRow> rows(String districtId, RecordKind kind, String afterId, int limit) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        Condition range = pt.cleverId().ge(ID_PREFIX).and(pt.cleverId().lt(ID_PREFIX + '\uffff'));
        if (afterId != null) {
            range = range.and(pt.cleverId().gt(afterId));
        }
        return rows(districtId, kind, range, Math.max(1, Math.min(limit, MAX_PAGE)));
    }

    /** One manual class or student of a district, by id; empty when the district has no manual one with this id. */
    public Optional<ManualRow> row(String districtId, RecordKind kind, String id) {
        return rows(districtId, kind, ProvisionedTable.of(kind).cleverId().eq(id), 1).stream().findFirst();
    }

    /** The manual rows that match {@code which}, by id; at most {@code limit} of them (0: all). */
    private List<ManualRow> rows(String districtId, RecordKind kind, Condition which, int limit) {
        ProvisionedTable pt = ProvisionedTable.of(kind);
        List<Field<?>> shown = kind == RecordKind.USER
                ? List.of(ACCOUNT.FIRST_NAME, ACCOUNT.LAST_NAME, ACCOUNT.EMAIL, ACCOUNT.GRADE)
                : List.of(CLASSROOM.NAME, CLASSROOM.SUBJECT, CLASSROOM.GRADE);
        var query = ctx.select(pt.table().fields()).from(pt.table())
                .where(pt.district().eq(districtId), pt.manual().isTrue(), which)
                .orderBy(pt.cleverId());
        org.jooq.ResultQuery<org.jooq.Record> page = limit > 0 ? query.limit(limit) : query;
        return page.fetch(r -> {
            Map<String, String> values = new LinkedHashMap<>();
            shown.forEach(f -> values.put(f.getName(), r.get(f) == null ? null : r.get(f).toString()));
            return new ManualRow(districtId, kind, r.get(pt.cleverId()), values, Boolean.TRUE.equals(r.get(pt.active())),
                    r.get(pt.createdRun()), r.get(pt.updatedRun()));
        });
    }

    // ---- memberships ----

    /** The membership of a student in a class, manual or Clever's, if the store has one. */
    public Optional<MembershipRow> membership(String districtId, String classId, String userId) {
        var m = CLASSROOM_MEMBERSHIP;
        return ctx.selectFrom(m).where(m.DISTRICT_ID.eq(districtId), m.CLASS_ID.eq(classId), m.USER_ID.eq(userId), m.ROLE.eq(STUDENT))
                .fetchOptional(r -> new MembershipRow(r.getDistrictId(), r.getClassId(), r.getUserId(), r.getRole(),
                        Boolean.TRUE.equals(r.getManual()), r.getHostActive(), Boolean.TRUE.equals(r.getActive()), r.getUpdatedRun()));
    }

    /** The manual memberships of a district, by class and user. */
    public List<MembershipRow> memberships(String districtId) {
        var m = CLASSROOM_MEMBERSHIP;
        return ctx.selectFrom(m).where(m.DISTRICT_ID.eq(districtId), m.MANUAL.isTrue()).orderBy(m.CLASS_ID, m.USER_ID)
                .fetch(r -> new MembershipRow(r.getDistrictId(), r.getClassId(), r.getUserId(), r.getRole(), true, r.getHostActive(),
                        Boolean.TRUE.equals(r.getActive()), r.getUpdatedRun()));
    }

    /**
     * A page of the district's manual memberships: at most {@code limit} (500), by class and user after
     * ({@code afterClassId}, {@code afterUserId}) (nulls for the first page), from the index on (district, manual).
     */
    public List<MembershipRow> memberships(String districtId, String afterClassId, String afterUserId, int limit) {
        var m = CLASSROOM_MEMBERSHIP;
        Condition after = afterClassId == null ? DSL.trueCondition()
                : m.CLASS_ID.gt(afterClassId).or(m.CLASS_ID.eq(afterClassId).and(m.USER_ID.gt(afterUserId == null ? "" : afterUserId)));
        return ctx.selectFrom(m).where(m.DISTRICT_ID.eq(districtId), m.MANUAL.isTrue(), after).orderBy(m.CLASS_ID, m.USER_ID)
                .limit(Math.max(1, Math.min(limit, MAX_PAGE)))
                .fetch(r -> new MembershipRow(r.getDistrictId(), r.getClassId(), r.getUserId(), r.getRole(), true, r.getHostActive(),
                        Boolean.TRUE.equals(r.getActive()), r.getUpdatedRun()));
    }

    /**
     * Makes a student a manual member of a class, or (with {@code joined} false) takes a manual membership back (kept,
     * inactive). A membership Clever's enrollments made becomes manual: from now on Clever's enrollments no longer move
     * it. Then every manual membership {@link #follow follows} its class and accounts.
     */
    public void setMembership(String districtId, String runId, String classId, String userId, boolean joined) {
        var m = CLASSROOM_MEMBERSHIP;
        Condition row = m.DISTRICT_ID.eq(districtId).and(m.CLASS_ID.eq(classId)).and(m.USER_ID.eq(userId)).and(m.ROLE.eq(STUDENT));
        Optional<MembershipRow> existing = membership(districtId, classId, userId);
        if (existing.isEmpty()) {
            // inactive until follow() finds the class and accounts active, so that its outbox entry is the one follow writes
            ctx.insertInto(m).set(m.DISTRICT_ID, districtId).set(m.CLASS_ID, classId).set(m.USER_ID, userId).set(m.ROLE, STUDENT)
                    .set(m.ACTIVE, false).set(m.MANUAL, true).set(m.HOST_ACTIVE, joined).set(m.CREATED_RUN, runId)
                    .set(m.UPDATED_RUN, runId).execute();
        } else {
            ctx.update(m).set(m.MANUAL, true).set(m.HOST_ACTIVE, joined).where(row).execute();
        }
        follow(districtId, runId);
    }

    /**
     * Brings every manual membership of the district in line with its class and accounts: active when the host asked for
     * it and both the class and one of the user's accounts are active, inactive otherwise (kept, marked manual). Each
     * change goes to the outbox under {@code runId}. A sync calls this after Clever's memberships are in place, a revert
     * and an approval in part after they restored classes and accounts. Returns how many memberships changed.
     */
    public int follow(String districtId, String runId) {
        var m = CLASSROOM_MEMBERSHIP;
        Condition wanted = DSL.coalesce(m.HOST_ACTIVE, DSL.inline(false)).isTrue()
                .and(DSL.exists(DSL.selectOne().from(CLASSROOM).where(CLASSROOM.DISTRICT_ID.eq(m.DISTRICT_ID),
                        CLASSROOM.CLEVER_ID.eq(m.CLASS_ID), CLASSROOM.ACTIVE.isTrue())))
                .and(DSL.exists(DSL.selectOne().from(ACCOUNT).where(ACCOUNT.DISTRICT_ID.eq(m.DISTRICT_ID),
                        ACCOUNT.CLEVER_ID.eq(m.USER_ID), ACCOUNT.ACTIVE.isTrue())));
        BulkWrites writes = new BulkWrites(ctx, vendor);
        int[] changed = {0};
        ctx.select(m.CLASS_ID, m.USER_ID, m.ROLE, m.ACTIVE, DSL.field(wanted), m.CREATED_RUN).from(m)
                .where(m.DISTRICT_ID.eq(districtId), m.MANUAL.isTrue())
                .forEach(r -> {
                    boolean want = Boolean.TRUE.equals(r.value5());
                    boolean now = Boolean.TRUE.equals(r.value4());
                    if (want == now) {
                        return;
                    }
                    writes.add(ctx.update(m).set(m.ACTIVE, want).set(m.UPDATED_RUN, runId)
                            .where(m.DISTRICT_ID.eq(districtId), m.CLASS_ID.eq(r.value1()), m.USER_ID.eq(r.value2()),
                                    m.ROLE.eq(r.value3())));
                    boolean created = runId.equals(r.value6());
                    ProvisionedChange change = !want ? ProvisionedChange.DEACTIVATED
                            : created ? ProvisionedChange.CREATED : ProvisionedChange.REACTIVATED;
                    outbox.addMembership(writes, districtId, runId, r.value1() + "/" + r.value2() + "/" + r.value3(), change);
                    changed[0]++;
                });
        writes.execute();
        return changed[0];
    }
}
