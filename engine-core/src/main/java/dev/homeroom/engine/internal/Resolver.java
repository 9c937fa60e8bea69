package dev.homeroom.engine.internal;

import dev.homeroom.rules.Decisions;
import dev.homeroom.spi.AccountFlag;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.CleanedValue;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.Course;
import dev.homeroom.spi.DataWarning;
import dev.homeroom.spi.Dates;
import dev.homeroom.spi.Decision;
import dev.homeroom.spi.Filler;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.Role;
import dev.homeroom.spi.RoleDecision;
import dev.homeroom.spi.School;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.User;
import dev.homeroom.store.StoredText;
import dev.homeroom.store.DecisionDetail;
import dev.homeroom.store.DecisionState;
import dev.homeroom.store.Provisioned;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what the rules inserted for one record into its resolved decision (outcome, effective role, the lines
 * {@code explain} shows) and, when provisioned, the rows the host sees. Resolution: a gone record is deactivated; else
 * the decision with the highest {@link Outcome#weight()} wins; no decision means PROVISIONED by {@code engine:default}.
 */
final class Resolver {
    static final String GONE_RULE = "engine:gone";
    static final String NO_ROLE_RULE = "engine:no-role";
    static final String COLUMN_LIMIT_RULE = "engine:column-limit";
    static final String TEXT_GUARD_RULE = "engine:text-guard";
    /** The widest text column of the provisioned tables (names, emails, display names). */
    static final int MAX_TEXT = 1000;

    /** Everything the rules said about one batch, indexed by record. */
    static final class Index {
        final Map<String, List<Decision>> decisions = new HashMap<>();
        final Map<String, List<RoleDecision>> roles = new HashMap<>();
        final Map<String, List<Filler>> fillers = new HashMap<>();
        final Map<String, List<CleanedValue>> cleaned = new HashMap<>();
        final Map<String, List<DataWarning>> warnings = new HashMap<>();
        final Map<String, List<AccountFlag>> flags = new HashMap<>();
        /** Plugins' supplemental rows joined to each record (SPI 1.2), and whether accounts carry the column at all. */
        Map<String, List<dev.homeroom.spi.SupplementalData>> supplemental = Map.of();
        boolean supplementalColumn;
        /** P19 courses.per_school: a course is provisioned as one copy per school of {@link #courseSchools}. */
        boolean perSchoolCourses;
        /** P14 users.multi_school=PER_SCHOOL_ACCOUNTS: a user gets an account per school of {@link #userSchools}. */
        boolean perSchoolAccounts;
        /** The schools of each user's shared sections (P14). */
        Map<String, List<String>> userSchools = Map.of();
        /** The schools of each course's shared sections (P19). */
        Map<String, List<String>> courseSchools = Map.of();
        /** The plugin each plugin rule id comes from (its file is {@code plugin:NAME/…}). */
        Map<String, String> pluginOfRule = Map.of();

        Index(Decisions d, RecordKind kind) {
            d.decisions().stream().filter(x -> x.kind() == kind).forEach(x -> decisions.computeIfAbsent(x.cleverId(), k -> new ArrayList<>()).add(x));
            if (kind == RecordKind.USER) {
                d.roles().forEach(x -> roles.computeIfAbsent(x.cleverId(), k -> new ArrayList<>()).add(x));
                d.flags().forEach(x -> flags.computeIfAbsent(x.cleverId(), k -> new ArrayList<>()).add(x));
            }
            d.fillers().stream().filter(x -> x.kind() == kind).forEach(x -> fillers.computeIfAbsent(x.cleverId(), k -> new ArrayList<>()).add(x));
            d.cleanedValues().stream().filter(x -> x.kind() == kind).forEach(x -> cleaned.computeIfAbsent(x.cleverId(), k -> new ArrayList<>()).add(x));
            d.warnings().stream().filter(x -> x.kind() == kind).forEach(x -> warnings.computeIfAbsent(x.cleverId(), k -> new ArrayList<>()).add(x));
        }
    }

    /** One record's resolution. {@code rows} is empty unless the outcome is PROVISIONED. */
    record Resolved(DecisionState state, Decision winner, List<Provisioned> rows, List<DataWarning> warnings) {}

    private Resolver() {}

    static Resolved resolve(RecordKind kind, CleverRecord record, Change change, Index index) {
        String id = record.id();
        List<Decision> decided = new ArrayList<>(index.decisions.getOrDefault(id, List.of()));
        decided.sort(Comparator.comparingInt((Decision d) -> d.outcome().weight()).reversed());
        Decision winner;
        if (change == Change.GONE) {
            winner = decided.stream().filter(d -> d.outcome() == Outcome.DEACTIVATED).findFirst()
                    .orElse(new Decision(kind, id, Outcome.DEACTIVATED, GONE_RULE, "Clever no longer shares this " + kind.label()));
        } else if (!decided.isEmpty()) {
            winner = decided.get(0);
        } else {
            winner = new Decision(kind, id, Outcome.PROVISIONED, Decisions.DEFAULT_RULE_ID, "no rule decided against it");
        }
        List<DataWarning> warnings = new ArrayList<>(index.warnings.getOrDefault(id, List.of()));
        String effectiveRole = null;
        // one RoleDecision per account: several when each role gets its own account (SEPARATE_ACCOUNTS)
        List<RoleDecision> roleDecisions = new ArrayList<>(index.roles.getOrDefault(id, List.of()));
        roleDecisions.sort(Comparator.comparingInt(r -> Role.rank(r.effectiveRole())));
        RoleDecision role = roleDecisions.isEmpty() ? null : roleDecisions.get(0);
        if (record instanceof User u) {
            effectiveRole = role != null ? role.effectiveRole() : u.roles().names().isEmpty() ? null : u.roles().names().get(0);
            if (winner.outcome() == Outcome.PROVISIONED && effectiveRole == null) {
                winner = new Decision(kind, id, Outcome.ERROR, NO_ROLE_RULE, "the user holds no role Homeroom knows; no account, an active one is deactivated");
            }
        }

        List<DecisionDetail> details = new ArrayList<>();
        details.add(new DecisionDetail("OUTCOME", winner.ruleId(), winner.outcome().name(), null, null, winner.reason()));
        for (Decision d : decided) {
            if (d != winner) {
                details.add(new DecisionDetail("OUTCOME", d.ruleId(), d.outcome().name(), null, null, d.reason()));
            }
        }
        for (RoleDecision r : roleDecisions) {
            details.add(new DecisionDetail("ROLE", r.ruleId(), null, "role", r.effectiveRole(), r.reason()));
        }
        index.fillers.getOrDefault(id, List.of()).forEach(f -> details.add(new DecisionDetail("FILLER", f.ruleId(), null, f.field(), f.value(), f.reason())));
        index.cleaned.getOrDefault(id, List.of()).forEach(c -> details.add(new DecisionDetail("CLEANED", c.ruleId(), null, c.field(), c.value(), c.reason())));
        index.flags.getOrDefault(id, List.of()).forEach(f -> details.add(new DecisionDetail("FLAG", f.ruleId(), null, "flag", f.flag(), f.reason())));
        for (var d : index.supplemental.getOrDefault(id, List.of())) {
            List<String> pairs = new ArrayList<>();
            new java.util.TreeMap<>(d.values()).forEach((k, val) -> pairs.add(k + "=" + val));
            details.add(new DecisionDetail("SUPPLEMENTAL", PluginSupplemental.ruleId(d.plugin(), d.source()), null, null,
                    String.join(", ", pairs), "from plugin " + d.plugin() + ", source " + d.source() + ", joined by its key '" + d.key() + "'"));
        }

        List<Provisioned> rows = List.of();
        if (winner.outcome() == Outcome.PROVISIONED) {
            Values v = new Values(kind, id, index, warnings);
            if (record instanceof User u) {
                rows = accounts(u, roleDecisions, effectiveRole, v, index.flags.getOrDefault(id, List.of()));
            } else if (record instanceof Section s) {
                rows = List.of(v.row(null, map(
                        "name", v.text("name", s.name()), "display_name", v.text("display_name", s.name()),
                        "school_id", id(s.school()), "term_id", id(s.termId()), "course_id", id(s.course()),
                        "subject", v.text("subject", s.subject()), "grade", v.text("grade", s.grade()),
                        "period", v.text("period", s.period()))));
            } else if (record instanceof Term t) {
                rows = List.of(v.row(null, map("name", v.text("name", t.name()), "start_date", t.startDate(), "end_date", t.endDate())));
            } else if (record instanceof School s) {
                rows = List.of(v.row(null, map("name", v.text("name", s.name()), "sis_id", v.text("sis_id", s.sisId()),
                        "school_number", v.text("school_number", s.schoolNumber()))));
            } else if (record instanceof Course c) {
                Map<String, Object> values = map("name", v.text("name", c.name()), "number", v.text("number", c.number()));
                if (index.perSchoolCourses) {
                    // P19: a copy per school with a section of it, keyed by the school; the district-wide row goes
                    List<Provisioned> copies = new ArrayList<>();
                    for (String school : index.courseSchools.getOrDefault(id, List.of())) {
                        copies.add(v.row(school, values));
                    }
                    rows = copies;
                } else {
                    rows = List.of(v.row(null, values));
                }
            }
        }
        for (DataWarning w : warnings) {
            details.add(new DecisionDetail("WARNING", w.ruleId(), null, w.field(), w.code(), w.message()));
        }
        pluginLines(details, index.pluginOfRule);
        String hash = ShadowMapper.sha256(winner.outcome() + "|" + effectiveRole + "|" + details);
        return new Resolved(new DecisionState(kind, id, winner.outcome(), effectiveRole, hash, details), winner, rows, warnings);
    }

    /**
     * One PLUGIN line per plugin that had a part in the record's decision (its rules, fillers or supplemental data), so
     * {@code explain} names the plugin beside its rules.
     */
    private static void pluginLines(List<DecisionDetail> details, Map<String, String> pluginOfRule) {
        Map<String, Set<String>> parts = new java.util.TreeMap<>();
        for (DecisionDetail d : details) {
            String rule = d.ruleId();
            if (rule == null) {
                continue;
            }
            String plugin = pluginOfRule.get(rule);
            if (plugin != null) {
                parts.computeIfAbsent(plugin, k -> new LinkedHashSet<>()).add("rule " + rule);
            } else if (rule.startsWith("plugin:") && rule.indexOf('/') > 0) {
                parts.computeIfAbsent(rule.substring("plugin:".length(), rule.indexOf('/')), k -> new LinkedHashSet<>())
                        .add(rule.substring(rule.indexOf('/') + 1).replace(':', ' '));
            }
        }
        parts.forEach((plugin, what) -> details.add(new DecisionDetail("PLUGIN", "plugin:" + plugin, null, null, plugin,
                "plugin " + plugin + " had a part in this decision: " + String.join(", ", what))));
    }

    private static List<Provisioned> accounts(User u, List<RoleDecision> roleDecisions, String effectiveRole, Values v,
                                              List<AccountFlag> flags) {
        RoleDecision role = roleDecisions.isEmpty() ? null : roleDecisions.get(0);
        var student = u.roles().student();
        String dob = v.filled("dob");
        boolean dobFiller = dob != null;
        if (dob == null && student != null) {
            dob = v.text("dob", student.dob());
        }
        var dobDate = Dates.parseCleverDob(dob).orElse(null);
        List<String> granted = role != null && !role.grantedRoles().isEmpty() ? role.grantedRoles() : u.roles().names();
        Set<String> schools = new LinkedHashSet<>();
        if (student != null) {
            schools.addAll(student.schools());
        }
        if (u.roles().teacher() != null) {
            schools.addAll(u.roles().teacher().schools());
        }
        if (u.roles().staff() != null) {
            schools.addAll(u.roles().staff().schools());
        }
        String gradYear = v.filled("graduation_year");
        if (gradYear == null && student != null) {
            gradYear = v.text("graduation_year", student.graduationYear());
        }
        // a graduation year Clever did not send is inferred once; later syncs keep it (and an admin's edit)
        boolean inferredYear = gradYear != null && (student == null || student.graduationYear() == null || student.graduationYear().isBlank());
        Map<String, Object> values = map(
                "granted_roles", String.join(",", granted),
                "first_name", v.text("name.first", u.name().first()),
                "middle_name", v.text("name.middle", u.name().middle()),
                "last_name", v.text("name.last", u.name().last()),
                "email", v.text("email", u.email()),
                "sis_id", v.text("sis_id", ShadowMapper.userSisId(u)),
                "dob", dobDate,
                "dob_filler", dobFiller,
                "grade", v.text("grade", student == null ? null : student.grade()),
                "graduation_year", gradYear == null || gradYear.length() > 8 ? null : gradYear,
                "school_ids", joinedOrNull(schools.stream().filter(ShadowMapper::validId).toList()),
                "primary_school_id", id(student != null ? student.school() : u.roles().teacher() != null ? u.roles().teacher().school() : null),
                "flags", joinedOrNull(flags.stream().map(AccountFlag::flag).distinct().sorted().toList()));
        if (v.index().supplementalColumn) {
            // only where plugins bring supplemental data: elsewhere the column stays out of the row's hash, so no account changes
            var rows = v.index().supplemental.getOrDefault(u.id(), List.of());
            values.put("supplemental", rows.isEmpty() ? null : PluginSupplemental.json(PluginSupplemental.byPlugin(rows)));
        }
        List<Provisioned> rows = new ArrayList<>();
        if (role != null && role.separateAccount()) {
            for (RoleDecision r : roleDecisions) {
                Map<String, Object> own = new LinkedHashMap<>(values);
                own.put("granted_roles", String.join(",", r.grantedRoles().isEmpty() ? List.of(r.effectiveRole()) : r.grantedRoles()));
                rows.add(v.row(r.effectiveRole(), own, inferredYear));
            }
        } else {
            rows.add(v.row(effectiveRole, values, inferredYear));
        }
        return v.index().perSchoolAccounts ? perSchool(rows, v.index().userSchools.getOrDefault(u.id(), List.of()),
                (String) values.get("primary_school_id"), inferredYear) : rows;
    }

    /**
     * P14 PER_SCHOOL_ACCOUNTS: each account once per school the user has sections in (its key part {@code role@school});
     * a user with none keeps one account at the primary school, or one of no school when there is none.
     */
    private static List<Provisioned> perSchool(List<Provisioned> accounts, List<String> schools, String primarySchool,
                                               boolean inferredYear) {
        List<String> at = !schools.isEmpty() ? schools : primarySchool != null ? List.of(primarySchool) : List.of("");
        List<Provisioned> out = new ArrayList<>();
        for (Provisioned a : accounts) {
            for (String school : at) {
                out.add(new Provisioned(a.kind(), a.cleverId(), school.isEmpty() ? a.accountRole() : a.accountRole() + "@" + school,
                        true, a.values(), a.setOnce()));
            }
        }
        return out;
    }

    /** Reads a record's values through its cleaned values and fillers, capped to the columns. */
    private record Values(RecordKind kind, String id, Index index, List<DataWarning> warnings) {
        String text(String field, String original) {
            String value = original;
            for (CleanedValue c : index.cleaned.getOrDefault(id, List.of())) {
                if (c.field().equals(field)) {
                    value = c.value();
                }
            }
            String filled = filled(field);
            if ((value == null || value.isBlank()) && filled != null) {
                value = filled;
            }
            if (value != null && value.isBlank()) {
                return null; // no value is NULL in the host's tables, never an empty string
            }
            if (value != null && StoredText.needsCleaning(value)) {
                // the rules clean user and section names (P8); anything else a store cannot hold is cleaned here
                warnings.add(new DataWarning(kind, id, "TEXT_CLEANED", field,
                        field + " had control characters or broken Unicode; removed so the store can hold it", TEXT_GUARD_RULE));
                value = StoredText.storable(value);
            }
            if (value != null && value.length() > MAX_TEXT) {
                warnings.add(new DataWarning(kind, id, "VALUE_TOO_LONG", field,
                        field + " is " + value.length() + " characters; cut to " + MAX_TEXT + " to fit the store", COLUMN_LIMIT_RULE));
                value = value.substring(0, MAX_TEXT);
            }
            return value;
        }

        String filled(String field) {
            for (Filler f : index.fillers.getOrDefault(id, List.of())) {
                if (f.field().equals(field)) {
                    return f.value();
                }
            }
            return null;
        }

        Provisioned row(String accountRole, Map<String, Object> values) {
            return new Provisioned(kind, id, accountRole, true, values);
        }

        Provisioned row(String accountRole, Map<String, Object> values, boolean graduationYearInferred) {
            return new Provisioned(kind, id, accountRole, true, values,
                    graduationYearInferred ? java.util.Set.of("graduation_year") : java.util.Set.of());
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A list column: the values joined by commas, or NULL when there are none. */
    private static String joinedOrNull(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    private static String id(String ref) {
        return ShadowMapper.validId(ref) ? ref : null;
    }

}
