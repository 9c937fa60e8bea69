package dev.homeroom.rules.internal;

import dev.homeroom.rules.PolicyCatalog;
import dev.homeroom.rules.RulesException;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.Course;
import dev.homeroom.spi.CourseFact;
import dev.homeroom.spi.DuplicateOf;
import dev.homeroom.spi.Name;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.School;
import dev.homeroom.spi.SchoolFact;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.SectionFact;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.TermFact;
import dev.homeroom.spi.User;
import dev.homeroom.spi.UserFact;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parses the scenario format described in {@link dev.homeroom.rules.ScenarioRunner}. */
public final class ScenarioParser {
    static final Set<String> USER_KEYS = Set.of("roles", "change", "previous", "student_sections", "teacher_sections",
            "section_schools", "duplicate_email", "duplicate_sis_id", "first", "middle", "last", "email", "dob", "grade",
            "graduation_year", "sis_id", "school", "schools", "staff_schools", "iep_status", "ell_status", "frl_status",
            "disability", "gifted_status", "section_504_status", "race", "hispanic_ethnicity", "home_language");
    static final Set<String> SECTION_KEYS = Set.of("name", "course", "course_name", "teacher", "teacher_last", "period",
            "grade", "subject", "school", "term", "term_shared", "students", "teachers", "change", "previous",
            "display_name_edited", "sis_id");
    static final Set<String> TERM_KEYS = Set.of("name", "start", "end", "sections", "change", "previous");
    static final Set<String> SCHOOL_KEYS = Set.of("name", "change", "previous");
    static final Set<String> COURSE_KEYS = Set.of("name", "number", "sections", "schools", "change", "previous");
    static final Set<String> DUPLICATE_KEYS = Set.of("field", "first");
    static final Set<String> EXPECT_KEYS = Set.of("outcome", "rule", "not-rule", "role", "roles", "grants", "separate",
            "no-filler", "no-cleaned", "warning", "no-warning", "warnings", "flag", "no-flag", "decisions");

    private ScenarioParser() {}

    public static Scenario parse(String file, String text) {
        String name = null;
        String district = "district-1";
        Map<String, String> overrides = new LinkedHashMap<>();
        List<Object> facts = new ArrayList<>();
        List<Scenario.Expectation> expectations = new ArrayList<>();
        List<String[]> pendingFacts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        // first pass: the district line may come after facts; read it first so facts carry it
        for (String raw : lines) {
            String s = raw.strip();
            if (s.startsWith("district ")) {
                district = s.substring("district ".length()).strip();
            }
        }
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String s = lines[i].strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            try {
                if (s.startsWith("scenario:")) {
                    name = s.substring("scenario:".length()).strip();
                    continue;
                }
                if (s.startsWith("district ")) {
                    continue;
                }
                if (s.startsWith("policy ")) {
                    String body = s.substring("policy ".length());
                    int eq = body.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("write policy KEY = VALUE");
                    }
                    String key = body.substring(0, eq).strip();
                    String value = body.substring(eq + 1).strip();
                    try {
                        overrides.put(key, PolicyCatalog.validate(file + ":" + lineNo, key, value));
                    } catch (RuntimeException e) {
                        throw new RulesException(RulesException.BAD_SCENARIO, e.getMessage());
                    }
                    continue;
                }
                ScenarioText.Line line = ScenarioText.split(s);
                if (line.words().isEmpty()) {
                    throw new IllegalArgumentException("a line starts with scenario:, district, policy, user, section, "
                            + "term, school, course, duplicate or expect");
                }
                String head = line.words().get(0);
                if (head.equals("expect")) {
                    expectations.addAll(expectation(lineNo, s, line));
                    continue;
                }
                if (line.words().size() != 2) {
                    throw new IllegalArgumentException("write " + head + " ID key=value ...");
                }
                String id = line.words().get(1);
                Map<String, String> p = line.pairs();
                Object fact = switch (head) {
                    case "user" -> user(district, id, check(p, USER_KEYS, head));
                    case "section" -> section(district, id, check(p, SECTION_KEYS, head));
                    case "term" -> term(district, id, check(p, TERM_KEYS, head));
                    case "school" -> new SchoolFact(district, new School(id, district, p.getOrDefault("name", "School " + id),
                            null, null, null, null, null, null, null, null, null, null, null, null, null),
                            change(check(p, SCHOOL_KEYS, head)), previous(p));
                    case "course" -> new CourseFact(district, new Course(id, district, p.getOrDefault("name", "Course " + id),
                            p.get("number")), change(check(p, COURSE_KEYS, head)), previous(p), integer(p, "sections", 1));
                    case "duplicate" -> duplicate(id, check(p, DUPLICATE_KEYS, head));
                    case "selected" -> new dev.homeroom.spi.SectionSelection(id);
                    default -> throw new IllegalArgumentException("unknown line '" + head + "'; a line starts with "
                            + "scenario:, district, policy, user, section, term, school, course, duplicate, selected or expect");
                };
                if (!head.equals("duplicate") && !head.equals("selected") && !ids.add(head + " " + id)) {
                    throw new IllegalArgumentException(head + " " + id + " is given twice");
                }
                facts.add(fact);
                if (fact instanceof CourseFact c) {
                    // the schools of its sections, as the pipeline tells the rules (P19)
                    facts.add(new dev.homeroom.rules.CourseSchools(c.id(), p.containsKey("schools") ? list(p, "schools")
                            : c.sectionCount() > 0 ? List.of("school-1") : List.of()));
                }
                if (fact instanceof DuplicateOf d) {
                    // both users share the value, as the pipeline tells the rules
                    facts.add(new dev.homeroom.spi.SharedValue(d.kind(), d.cleverId(), d.field(), d.firstCleverId()));
                    facts.add(new dev.homeroom.spi.SharedValue(d.kind(), d.firstCleverId(), d.field(), d.cleverId()));
                }
            } catch (RulesException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new RulesException(RulesException.BAD_SCENARIO, file + ":" + lineNo + ": " + e.getMessage());
            }
        }
        if (expectations.isEmpty()) {
            throw new RulesException(RulesException.BAD_SCENARIO, file + ": no expect line; a scenario that checks nothing cannot fail");
        }
        return new Scenario(name == null ? file : name, file, district, overrides, facts, expectations);
    }

    private static Map<String, String> check(Map<String, String> pairs, Set<String> allowed, String kind) {
        for (String key : pairs.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown " + kind + " field '" + key + "' (known: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return pairs;
    }

    private static List<Scenario.Expectation> expectation(int lineNo, String text, ScenarioText.Line line) {
        List<String> w = line.words();
        if (w.size() != 3) {
            throw new IllegalArgumentException("write expect KIND ID check=value ... (KIND: user, section, term, school, course)");
        }
        RecordKind kind = kind(w.get(1));
        String id = w.get(2);
        if (line.entries().isEmpty()) {
            throw new IllegalArgumentException("expect needs at least one check, e.g. outcome=SKIPPED");
        }
        List<Scenario.Expectation> out = new ArrayList<>();
        for (Map.Entry<String, String> entry : line.entries()) {
            String key = entry.getKey();
            String value = entry.getValue();
            boolean known = EXPECT_KEYS.contains(key) || key.startsWith("filler.") || key.startsWith("cleaned.");
            if (!known) {
                throw new IllegalArgumentException("unknown check '" + key + "' (known: " + String.join(", ",
                        EXPECT_KEYS.stream().sorted().toList()) + ", filler.FIELD, cleaned.FIELD)");
            }
            if (key.equals("outcome")) {
                outcome(value);
            }
            out.add(new Scenario.Expectation(lineNo, text, kind, id, key, value));
        }
        return out;
    }

    static RecordKind kind(String word) {
        return switch (word) {
            case "user" -> RecordKind.USER;
            case "section" -> RecordKind.SECTION;
            case "term" -> RecordKind.TERM;
            case "school" -> RecordKind.SCHOOL;
            case "course" -> RecordKind.COURSE;
            default -> throw new IllegalArgumentException("unknown record kind '" + word + "' (user, section, term, school, course)");
        };
    }

    static Outcome outcome(String value) {
        try {
            return Outcome.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown outcome '" + value + "' (PROVISIONED, SKIPPED, DEACTIVATED, ERROR)");
        }
    }

    private static Change change(Map<String, String> p) {
        String v = p.get("change");
        if (v == null) {
            return Change.UNCHANGED;
        }
        try {
            return Change.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown change '" + v + "' (CREATED, UPDATED, UNCHANGED, GONE)");
        }
    }

    private static Outcome previous(Map<String, String> p) {
        String v = p.get("previous");
        return v == null || v.isEmpty() ? null : outcome(v);
    }

    private static int integer(Map<String, String> p, String key, int fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
        }
    }

    private static boolean bool(Map<String, String> p, String key, boolean fallback) {
        String v = p.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
    }

    private static List<String> list(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /** An absent key gets the default; a key given empty ({@code dob=}) means Clever sent nothing. */
    private static String text(Map<String, String> p, String key, String fallback) {
        if (!p.containsKey(key)) {
            return fallback;
        }
        String v = p.get(key);
        return v.isEmpty() ? null : v;
    }

    private static UserFact user(String district, String id, Map<String, String> p) {
        List<String> roles = p.containsKey("roles") ? list(p, "roles") : List.of("student");
        for (String r : roles) {
            if (!dev.homeroom.spi.Role.PRECEDENCE.contains(r)) {
                throw new IllegalArgumentException("unknown role '" + r + "' (student, teacher, staff, district_admin, contact)");
            }
        }
        String school = text(p, "school", "school-1");
        List<String> schools = p.containsKey("schools") ? list(p, "schools") : (school == null ? List.of() : List.of(school));
        String sisId = text(p, "sis_id", "sis-" + id);
        User.Student student = roles.contains("student") ? new User.Student(null, null, text(p, "dob", "1/1/2012"),
                text(p, "ell_status", null), List.of(), Map.of(), null, text(p, "grade", "7"),
                text(p, "graduation_year", "2031"), text(p, "hispanic_ethnicity", null), null, null, null,
                text(p, "race", null), school, schools, sisId, null, null, text(p, "disability", null),
                text(p, "frl_status", null), text(p, "gifted_status", null), text(p, "home_language", null), null,
                text(p, "iep_status", null), null, text(p, "section_504_status", null)) : null;
        User.Teacher teacher = roles.contains("teacher") ? new User.Teacher(null, null, district, Map.of(), null, null,
                null, school, schools, sisId, null, null, null) : null;
        User.Staff staff = roles.contains("staff") ? new User.Staff(null, null, Map.of(), null, List.of(),
                p.containsKey("staff_schools") ? list(p, "staff_schools") : schools, sisId, null) : null;
        User.DistrictAdmin admin = roles.contains("district_admin") ? new User.DistrictAdmin(null, null) : null;
        User.Contact contact = roles.contains("contact") ? new User.Contact(null, null, null, sisId, List.of()) : null;
        User user = new User(id, district, text(p, "email", id + "@example.org"),
                new Name(text(p, "first", "Test"), text(p, "middle", null), text(p, "last", "User-" + id)),
                null, null, new User.Roles(student, teacher, staff, admin, contact));
        return new UserFact(district, user, change(p), previous(p),
                integer(p, "student_sections", roles.contains("student") ? 1 : 0),
                integer(p, "teacher_sections", roles.contains("teacher") ? 1 : 0),
                p.containsKey("section_schools") ? list(p, "section_schools") : schools,
                bool(p, "duplicate_email", false), bool(p, "duplicate_sis_id", false));
    }

    private static SectionFact section(String district, String id, Map<String, String> p) {
        String teacher = text(p, "teacher", "teacher-1");
        Section section = new Section(id, district, text(p, "name", "Section " + id), null, null,
                text(p, "course", "course-1"), text(p, "grade", "7"), text(p, "period", "1"), text(p, "school", "school-1"),
                null, text(p, "sis_id", "sis-" + id), List.of(), text(p, "subject", "math"), teacher,
                teacher == null ? List.of() : List.of(teacher), text(p, "term", "term-1"), Map.of());
        return new SectionFact(district, section, change(p), previous(p), integer(p, "students", 1),
                integer(p, "teachers", 1), bool(p, "term_shared", true), text(p, "course_name", "Course"),
                text(p, "teacher_last", "Teacher"), bool(p, "display_name_edited", false));
    }

    private static TermFact term(String district, String id, Map<String, String> p) {
        return new TermFact(district, new Term(id, district, text(p, "name", "Term " + id), date(p, "start"), date(p, "end")),
                change(p), previous(p), integer(p, "sections", 1));
    }

    private static Object duplicate(String id, Map<String, String> p) {
        String field = p.get("field");
        String first = p.get("first");
        if (field == null || first == null) {
            throw new IllegalArgumentException("write duplicate USER_ID field=email|sis_id first=FIRST_USER_ID");
        }
        if (!field.equals("email") && !field.equals("sis_id")) {
            throw new IllegalArgumentException("duplicate field must be email or sis_id, not '" + field + "'");
        }
        return new DuplicateOf(RecordKind.USER, id, field, first);
    }

    private static LocalDate date(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be YYYY-MM-DD, not '" + v + "'");
        }
    }
}
