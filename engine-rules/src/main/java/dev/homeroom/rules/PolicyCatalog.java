package dev.homeroom.rules;

import dev.homeroom.spi.Dates;
import dev.homeroom.spi.Policies;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Every policy key of docs/POLICIES.md (P1–P23) with its allowed values and its default: the one place a policies file,
 * a plugin's overrides and a district's overrides are checked against. Choice values are matched case-insensitively
 * and stored upper-case; booleans lower-case.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class PolicyCatalog {

    /** The kind of value a key takes. */
    public enum Type { CHOICE, BOOLEAN, INTEGER, RATIO, LIST, TEXT, DATE_OR_AUTO, YEAR_OR_AUTO }

    /**
     * One key.
     *
     * @param policy   the docs/POLICIES.md row, e.g. {@code P1}
     * @param allowed  for CHOICE the choices; for LIST the allowed items (empty: any item)
     */
    public record Entry(String key, String policy, Type type, List<String> allowed, String defaultValue, String description) {
        public Entry {
            allowed = List.copyOf(allowed);
        }

        String allowedText() {
            return switch (type) {
                case CHOICE -> String.join(", ", allowed);
                case BOOLEAN -> "true, false";
                case INTEGER -> "a whole number from 1 to 100000";
                case RATIO -> "a number from 0 to 1, e.g. 0.2";
                case LIST -> allowed.isEmpty() ? "a comma-separated list, or empty"
                        : "a comma-separated list of " + String.join(", ", allowed) + ", or empty";
                case TEXT -> "any text";
                case DATE_OR_AUTO -> "AUTO or a date as M/D/YYYY";
                case YEAR_OR_AUTO -> "AUTO or a year such as 2026";
            };
        }
    }

    /** Keys that take any suffix: {@code section.subject.map.<course name>} maps a course to a Clever subject. */
    public static final String SUBJECT_MAP_PREFIX = "section.subject.map.";
    /** Per-district overrides: {@code district.<cleverDistrictId>.<key>}. */
    public static final String DISTRICT_PREFIX = "district.";

    public static final List<String> CLEVER_SUBJECTS = List.of("english/language arts", "math", "science",
            "social studies", "language", "homeroom/advisory", "interventions/online learning",
            "technology and engineering", "PE and health", "arts and music", "other");

    public static final List<String> SENSITIVE_FIELDS = List.of("iep_status", "ell_status", "frl_status",
            "disability", "gifted_status", "section_504_status", "race", "hispanic_ethnicity", "home_language");

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        List<String> classless = List.of("SKIP", "PROVISION_LIMITED", "PROVISION_WITH_NOTICE");
        choice("classless.students", "P1", classless, "SKIP", "a student in no shared section");
        choice("classless.teachers", "P1", classless, "SKIP", "a teacher in no shared section");
        choice("roles.precedence", "P2", List.of("HIGHEST", "LOWEST", "SEPARATE_ACCOUNTS"), "HIGHEST",
                "a user with several roles under one Clever id");
        bool("contacts.enabled", "P3", "false", "provision contacts (guardians)");
        choice("staff.scope", "P4", List.of("SCHOOLS"), "SCHOOLS", "fixed: staff get school-level grants, never enrollments");
        choice("student.dob.missing", "P5", List.of("STRICT", "FILLER", "IGNORE"), "FILLER", "a student without dob");
        add(new Entry("student.dob.filler", "P5", Type.DATE_OR_AUTO, List.of(), "AUTO",
                "the filler dob: AUTO (January 1 of the year a student of that grade is typically born) or a fixed date"));
        choice("student.graduation_year", "P6", List.of("INFER", "LEAVE_EMPTY"), "INFER", "a student without graduation year");
        add(new Entry("school_year.end", "P6", Type.YEAR_OR_AUTO, List.of(), "AUTO",
                "the calendar year the current school year ends in; AUTO: this year before July, next year from July"));
        choice("fields.too_long", "P7", List.of("TRUNCATE", "FILLER", "REJECT"), "TRUNCATE", "a value over its max length");
        integer("fields.max_length.name", "P7", "100", "max characters of each name part");
        integer("fields.max_length.email", "P7", "254", "max characters of an email");
        integer("fields.max_length.section_name", "P7", "255", "max characters of a section name");
        add(new Entry("fields.too_long.filler", "P7", Type.TEXT, List.of(), "Unknown",
                "the filler that replaces a too-long name under FILLER (a too-long email is blanked)"));
        choice("fields.invalid", "P8", List.of("STRIP", "REJECT"), "STRIP",
                "control characters, invalid code points, leading/trailing space");
        List<String> dup = List.of("WARN", "BLANK_LATER", "REJECT_LATER");
        choice("duplicates.email", "P9", dup, "WARN", "two users share an email");
        choice("duplicates.sis_id", "P9", dup, "WARN", "two users share a SIS id");
        choice("section.display_name", "P10", List.of("GENERATE_WHEN_MISSING", "NEVER"), "GENERATE_WHEN_MISSING",
                "a section without a name");
        choice("section.subject", "P11", List.of("PASS_THROUGH", "MAP"), "PASS_THROUGH", "subject other or miscategorised");
        choice("section.grade", "P12", List.of("RECORD_AND_DERIVE", "RECORD"), "RECORD_AND_DERIVE", "unreliable section grade");
        choice("students.multi_class", "P13", List.of("ALL", "PRIMARY", "SELF_COURSE"), "ALL", "a student in several sections");
        choice("users.multi_school", "P14", List.of("SCHOOL_AGNOSTIC", "PRIMARY_ONLY", "PER_SCHOOL_ACCOUNTS"),
                "SCHOOL_AGNOSTIC", "a user in sections of several schools");
        choice("terms.deleted", "P15", List.of("DEACTIVATE"), "DEACTIVATE", "fixed: a gone term is deactivated");
        choice("sections.deleted", "P16", List.of("DEACTIVATE"), "DEACTIVATE", "fixed: a gone section is deactivated");
        choice("users.deleted", "P17", List.of("DEACTIVATE"), "DEACTIVATE", "fixed: a gone user is deactivated");
        choice("courses.missing", "P18", List.of("STAND_ALONE"), "STAND_ALONE", "fixed: sections stand alone without courses");
        bool("courses.per_school", "P19", "false", "one copy of a course per school that has a section of it");
        add(new Entry("sensitive.fields", "P20", Type.LIST, SENSITIVE_FIELDS, "", "sensitive fields to keep"));
        choice("sync.strategy", "P21", List.of("SIS_LOCKDOWN", "PARTIAL_LOCKDOWN", "TWO_WAY", "MANUAL"),
                "PARTIAL_LOCKDOWN", "how Clever data and local edits coexist");
        choice("sync.full_run_decides", "P24", List.of("CHANGED", "ALL"), "CHANGED",
                "which records a full run decides again when its rules are those every record stands decided under");
        choice("sections.filter", "P22", List.of("ALL", "RULE", "STAGING"), "ALL", "which sections load");
        add(new Entry("sections.filter.subjects", "P22", Type.LIST, CLEVER_SUBJECTS, "", "RULE: subjects to keep (empty: any)"));
        add(new Entry("sections.filter.grades", "P22", Type.LIST, List.of(), "", "RULE: section grades to keep (empty: any)"));
        add(new Entry("sections.filter.schools", "P22", Type.LIST, List.of(), "", "RULE: Clever school ids to keep (empty: any)"));
        add(new Entry("sections.filter.courses", "P22", Type.LIST, List.of(), "", "RULE: Clever course ids to keep (empty: any)"));
        add(new Entry("safety.max_deactivation_ratio", "P23", Type.RATIO, List.of(), "0.2",
                "halt before applying when a run would deactivate more than this share of the active accounts"));
        for (String kind : List.of("classes", "memberships", "terms", "schools", "courses")) {
            add(new Entry("safety.max_deactivation_ratio." + kind, "P23", Type.RATIO, List.of(), "0.2",
                    "halt before applying when a run would deactivate more than this share of the active " + kind));
        }
    }

    private PolicyCatalog() {}

    private static void add(Entry e) {
        ENTRIES.put(e.key(), e);
    }

    private static void choice(String key, String policy, List<String> choices, String def, String description) {
        add(new Entry(key, policy, Type.CHOICE, choices, def, description));
    }

    private static void bool(String key, String policy, String def, String description) {
        add(new Entry(key, policy, Type.BOOLEAN, List.of(), def, description));
    }

    private static void integer(String key, String policy, String def, String description) {
        add(new Entry(key, policy, Type.INTEGER, List.of(), def, description));
    }

    /** Every key, in docs/POLICIES.md order. */
    public static Collection<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    public static Optional<Entry> entry(String key) {
        return Optional.ofNullable(ENTRIES.get(key));
    }

    /** Every key at its default. */
    public static Policies defaults() {
        Map<String, String> values = new TreeMap<>();
        ENTRIES.values().forEach(e -> values.put(e.key(), e.defaultValue()));
        return Policies.of(values);
    }

    /**
     * Checks one key and value and returns the value as the rules read it (choices upper-case, lists trimmed).
     * District keys ({@code district.<id>.<key>}) are checked as their inner key.
     *
     * @throws PolicyException one line naming the source, the key and the allowed values
     */
    public static String validate(String source, String key, String value) {
        String k = key == null ? "" : key.strip();
        String v = value == null ? "" : value.strip();
        if (k.startsWith(DISTRICT_PREFIX)) {
            int dot = k.indexOf('.', DISTRICT_PREFIX.length());
            if (dot < 0 || dot == DISTRICT_PREFIX.length() || dot == k.length() - 1) {
                throw bad(source + ": bad key '" + k + "' (a district override is district.<cleverDistrictId>.<policy key>)");
            }
            String inner = k.substring(dot + 1);
            if (inner.startsWith(DISTRICT_PREFIX)) {
                throw bad(source + ": bad key '" + k + "' (district overrides do not nest)");
            }
            return validate(source, inner, v);
        }
        if (k.startsWith(SUBJECT_MAP_PREFIX) && k.length() > SUBJECT_MAP_PREFIX.length()) {
            for (String subject : CLEVER_SUBJECTS) {
                if (subject.equalsIgnoreCase(v)) {
                    return subject;
                }
            }
            throw bad(source + ": unknown value '" + v + "' for " + k + " (allowed: " + String.join(", ", CLEVER_SUBJECTS) + ")");
        }
        Entry e = ENTRIES.get(k);
        if (e == null) {
            String near = nearest(k);
            throw bad(source + ": unknown key '" + k + "'" + (near == null ? "" : " (did you mean " + near + "?)")
                    + " (allowed keys are listed in docs/POLICIES.md and the shipped policies.properties)");
        }
        String normalized = normalize(e, v);
        if (normalized == null) {
            throw bad(source + ": unknown value '" + v + "' for " + k + " (allowed: " + e.allowedText() + ")");
        }
        return normalized;
    }

    /** Checks every entry of a map and returns the normalized copy. */
    public static Map<String, String> validateAll(String source, Map<String, String> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k.strip(), validate(source, k, v)));
        return out;
    }

    private static String normalize(Entry e, String v) {
        switch (e.type()) {
            case CHOICE:
                for (String c : e.allowed()) {
                    if (c.equalsIgnoreCase(v)) {
                        return c;
                    }
                }
                return null;
            case BOOLEAN:
                return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? v.toLowerCase(Locale.ROOT) : null;
            case INTEGER:
                try {
                    int n = Integer.parseInt(v);
                    return n >= 1 && n <= 100_000 ? Integer.toString(n) : null;
                } catch (NumberFormatException ex) {
                    return null;
                }
            case RATIO:
                try {
                    double d = Double.parseDouble(v);
                    return d >= 0 && d <= 1 && !v.toLowerCase(Locale.ROOT).contains("n") ? v : null;
                } catch (NumberFormatException ex) {
                    return null;
                }
            case LIST: {
                if (v.isEmpty() || v.equalsIgnoreCase("NONE")) {
                    return "";
                }
                List<String> items = new ArrayList<>();
                for (String raw : v.split(",")) {
                    String item = raw.strip();
                    if (item.isEmpty()) {
                        continue;
                    }
                    if (!e.allowed().isEmpty()) {
                        String match = null;
                        for (String a : e.allowed()) {
                            if (a.equalsIgnoreCase(item)) {
                                match = a;
                            }
                        }
                        if (match == null) {
                            return null;
                        }
                        item = match;
                    }
                    items.add(item);
                }
                return String.join(",", items);
            }
            case TEXT:
                return v;
            case DATE_OR_AUTO:
                if (v.equalsIgnoreCase("AUTO")) {
                    return "AUTO";
                }
                return Dates.parseCleverDob(v).map(Dates::formatCleverDob).orElse(null);
            case YEAR_OR_AUTO:
                if (v.equalsIgnoreCase("AUTO")) {
                    return "AUTO";
                }
                return v.matches("\\d{4}") ? v : null;
            default:
                return null;
        }
    }

    private static PolicyException bad(String message) {
        return new PolicyException(PolicyException.BAD_POLICY, message.replaceAll("[\\r\\n]+", " "));
    }

    private static String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : ENTRIES.keySet()) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(3, key.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
