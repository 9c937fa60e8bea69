package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.COURSE;
import static dev.homeroom.store.internal.jooq.Tables.SCHOOL;
import static dev.homeroom.store.internal.jooq.Tables.TERM;

import dev.homeroom.spi.RecordKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/** The tables of provisioned entities share their bookkeeping columns; this maps a kind to them. */
record ProvisionedTable(Table<?> table, Field<String> district, Field<String> cleverId, Field<String> role,
                        Field<Boolean> active, Field<String> hash, Field<String> createdRun,
                        Field<String> updatedRun, Set<String> bookkeeping, Field<String> school, Field<Boolean> manual) {
    /** Between an account's role and its school in a key part: {@code student@<school id>} (P14 PER_SCHOOL_ACCOUNTS). */
    static final String AT_SCHOOL = "@";

    static ProvisionedTable of(RecordKind kind) {
        return switch (kind) {
            // an account's key part is its role, and its school when it is one of a user's per-school accounts (P14)
            case USER -> new ProvisionedTable(ACCOUNT, ACCOUNT.DISTRICT_ID, ACCOUNT.CLEVER_ID, ACCOUNT.ACCOUNT_ROLE,
                    ACCOUNT.ACTIVE, ACCOUNT.CONTENT_HASH, ACCOUNT.CREATED_RUN, ACCOUNT.UPDATED_RUN, BOOKKEEPING, ACCOUNT.ACCOUNT_SCHOOL,
                    ACCOUNT.MANUAL);
            case SECTION -> new ProvisionedTable(CLASSROOM, CLASSROOM.DISTRICT_ID, CLASSROOM.CLEVER_ID, null,
                    CLASSROOM.ACTIVE, CLASSROOM.CONTENT_HASH, CLASSROOM.CREATED_RUN, CLASSROOM.UPDATED_RUN, BOOKKEEPING, null, CLASSROOM.MANUAL);
            case TERM -> new ProvisionedTable(TERM, TERM.DISTRICT_ID, TERM.CLEVER_ID, null,
                    TERM.ACTIVE, TERM.CONTENT_HASH, TERM.CREATED_RUN, TERM.UPDATED_RUN, BOOKKEEPING, null, null);
            case SCHOOL -> new ProvisionedTable(SCHOOL, SCHOOL.DISTRICT_ID, SCHOOL.CLEVER_ID, null,
                    SCHOOL.ACTIVE, SCHOOL.CONTENT_HASH, SCHOOL.CREATED_RUN, SCHOOL.UPDATED_RUN, BOOKKEEPING, null, null);
            // a course's school is part of its key: '' for the district-wide row, a school's id for its copy (P19)
            case COURSE -> new ProvisionedTable(COURSE, COURSE.DISTRICT_ID, COURSE.CLEVER_ID, COURSE.SCHOOL_ID,
                    COURSE.ACTIVE, COURSE.CONTENT_HASH, COURSE.CREATED_RUN, COURSE.UPDATED_RUN, COURSE_BOOKKEEPING, null, null);
            case DISTRICT -> throw new IllegalArgumentException("districts are not provisioned rows");
        };
    }

    /** Key and bookkeeping columns: not values a decision sets, nor what explain and golden rosters show as values. */
    private static final Set<String> BOOKKEEPING = Set.of("district_id", "clever_id", "account_role", "active",
            "content_hash", "created_run", "updated_run", "reissued_from", "account_school", "manual");
    private static final Set<String> COURSE_BOOKKEEPING = union(BOOKKEEPING, "school_id");
    /** Values derived after memberships ({@link #deriveFromMemberships}): shown, never taken from desired values. */
    private static final Set<String> DERIVED = Set.of("primary_class_id", "derived_grade");

    /**
     * The rows Clever's data provisions: not a host's manual class or student (V012), which a sync, a revert and the
     * safety guard leave alone. Terms, schools and courses are all synced.
     */
    Condition synced() {
        return manual == null ? DSL.trueCondition() : manual.isFalse();
    }

    String key(Record rec) {
        return role == null ? rec.get(cleverId) : key(rec.get(cleverId), keyPart(rec));
    }

    /**
     * A row's second key part as a {@link #key} carries it: an account's role (with {@code @school} for a per-school
     * account), a course copy's school ('' for the district-wide row); null for kinds without one.
     */
    String keyPart(Record rec) {
        if (role == null) {
            return null;
        }
        String school = this.school == null ? null : rec.get(this.school);
        return school == null || school.isEmpty() ? rec.get(role) : rec.get(role) + AT_SCHOOL + school;
    }

    /** {@link #keyPart} as an SQL expression ('' for kinds without one), to select it or join on it. */
    Field<String> keyPartField() {
        if (role == null) {
            return org.jooq.impl.DSL.inline("");
        }
        if (school == null) {
            return role;
        }
        return org.jooq.impl.DSL.when(school.eq(""), role).otherwise(role.concat(AT_SCHOOL).concat(school));
    }

    /** The columns of a key part: the role (or a course's school) and, for a per-school account, the school. */
    Map<Field<?>, Object> keyPartValues(String part) {
        Map<Field<?>, Object> out = new LinkedHashMap<>();
        String p = part == null ? "" : part;
        int at = school == null ? -1 : p.indexOf(AT_SCHOOL);
        out.put(role, at < 0 ? p : p.substring(0, at));
        if (school != null) {
            out.put(school, at < 0 ? "" : p.substring(at + 1));
        }
        return out;
    }

    /**
     * A row's key: its Clever id, with "/" and the second key column when there is one and it is not empty (an account's
     * role, a course copy's school; the district-wide row of a course is keyed by its Clever id alone).
     */
    static String key(String id, String second) {
        return second == null || second.isEmpty() ? id : id + "/" + second;
    }

    /** The Clever id of a {@link #key}. */
    String idOf(String key) {
        int slash = key.indexOf('/');
        return role == null || slash < 0 ? key : key.substring(0, slash);
    }

    /** The second key column's value of a {@link #key} ('' for a course's district-wide row), or null for a kind without one. */
    String roleOf(String key) {
        int slash = key.indexOf('/');
        return role == null ? null : slash < 0 ? "" : key.substring(slash + 1);
    }

    Condition keyCondition(String districtId, String id, String accountRole) {
        Condition c = district.eq(districtId).and(cleverId.eq(id));
        if (role == null) {
            return c;
        }
        for (var e : keyPartValues(accountRole).entrySet()) {
            @SuppressWarnings("unchecked")
            Field<String> f = (Field<String>) e.getKey();
            c = c.and(f.eq((String) e.getValue()));
        }
        return c;
    }

    private static Set<String> union(Set<String> a, String b) {
        Set<String> out = new java.util.HashSet<>(a);
        out.add(b);
        return Set.copyOf(out);
    }

    /** The row's value columns from the desired values, keeping what a person edited on the stored row. */
    Map<Field<?>, Object> values(Provisioned p, Record old, EditPolicy edits, List<EditConflict> conflicts) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        for (var e : p.values().entrySet()) {
            Field<?> f = table.field(e.getKey());
            if (f == null || bookkeeping.contains(e.getKey()) || DERIVED.contains(e.getKey())) {
                throw new IllegalArgumentException("no value column '" + e.getKey() + "' in " + table.getName());
            }
            values.put(f, f.getDataType().convert(e.getValue()));
        }
        if (old != null) {
            for (String column : p.setOnce()) {
                Field<?> f = table.field(column);
                if (f != null && old.get(f) != null) {
                    values.put(f, old.get(f));
                }
            }
        }
        if (edits == EditPolicy.OVERWRITE) {
            // SIS_LOCKDOWN: Clever's values replace any edit, and nothing stays marked as edited
            if (table == CLASSROOM) {
                values.put(CLASSROOM.DISPLAY_NAME_EDITED, false);
            } else if (table == ACCOUNT) {
                values.put(ACCOUNT.GRADUATION_YEAR_EDITED, false);
            }
            return values;
        }
        if (old != null && table == CLASSROOM && Boolean.TRUE.equals(old.get(CLASSROOM.DISPLAY_NAME_EDITED))) {
            if (edits == EditPolicy.KEEP_AND_REPORT && !java.util.Objects.equals(values.get(CLASSROOM.NAME), old.get(CLASSROOM.NAME))) {
                conflicts.add(new EditConflict(RecordKind.SECTION, p.cleverId(), "display_name", old.get(CLASSROOM.DISPLAY_NAME),
                        String.valueOf(values.get(CLASSROOM.DISPLAY_NAME))));
            }
            values.put(CLASSROOM.DISPLAY_NAME, old.get(CLASSROOM.DISPLAY_NAME));
            values.put(CLASSROOM.DISPLAY_NAME_EDITED, true);
        }
        if (old != null && table == ACCOUNT && Boolean.TRUE.equals(old.get(ACCOUNT.GRADUATION_YEAR_EDITED))) {
            Object clever = values.get(ACCOUNT.GRADUATION_YEAR);
            if (edits == EditPolicy.KEEP_AND_REPORT && !p.setOnce().contains("graduation_year") && clever != null
                    && !clever.equals(old.get(ACCOUNT.GRADUATION_YEAR))) {
                conflicts.add(new EditConflict(RecordKind.USER, p.cleverId(), "graduation_year", old.get(ACCOUNT.GRADUATION_YEAR),
                        String.valueOf(clever)));
            }
            values.put(ACCOUNT.GRADUATION_YEAR, old.get(ACCOUNT.GRADUATION_YEAR));
            values.put(ACCOUNT.GRADUATION_YEAR_EDITED, true);
        }
        return values;
    }

    Provisioned toProvisioned(RecordKind kind, Record rec) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field<?> f : rec.fields()) {
            if (!bookkeeping.contains(f.getName())) {
                values.put(f.getName(), rec.get(f));
            }
        }
        return new Provisioned(kind, rec.get(cleverId), keyPart(rec),
                Boolean.TRUE.equals(rec.get(active)), values);
    }
}
