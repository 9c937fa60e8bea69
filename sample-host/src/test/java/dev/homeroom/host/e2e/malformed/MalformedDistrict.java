package dev.homeroom.host.e2e.malformed;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A small Clever district built from a seed: a valid backbone (schools, terms, courses, sections with their teachers and
 * students, a staff member, a district admin, contacts) with malformed records mixed in, each served item labelled
 * with what the engine must do with it. The same seed always gives the same district, byte for byte.
 *
 * <p>Shapes follow NOTES.md §3–4 (the envelope, {@code dob} as M/D/YYYY, term dates as plain dates, multi-role
 * {@code roles}); the malformations are those of issue 4 item 5.
 */
public final class MalformedDistrict {
    /** What the engine must do with a served item. */
    public enum Expect {
        /** A valid record: processed, with an outcome (a user: PROVISIONED or SKIPPED by a named rule). */
        VALID,
        /** A bad record with an id: a warning with its id, or an ERROR/SKIPPED outcome with a reason. */
        REPORTED,
        /** A bad record without a usable id: a warning of its kind that names no record. */
        REPORTED_WITHOUT_ID,
        /** A second record with the id of a valid one on the same page: a warning with that id; the first one stays. */
        DUPLICATE
    }

    /** One served item: the collection, its id (null when it has none), what must happen, and the JSON sent. */
    public record Item(String collection, String id, Expect expect, Shape shape, String json, String cleanFirstName) {
        public String label() {
            String shown = id == null ? "no id" : id.length() > 30 ? id.substring(0, 30) + "…(" + id.length() + " chars)" : id;
            return collection + " " + shown + " [" + shape.name() + "]";
        }
    }

    /** The malformations, each a change to an otherwise valid record, and what the engine must do about it. */
    public enum Shape {
        VALID("valid", Expect.VALID),
        // users
        USER_MISSING_ID("users", Expect.REPORTED_WITHOUT_ID),
        USER_BLANK_ID("users", Expect.REPORTED_WITHOUT_ID),
        USER_OVERLONG_ID("users", Expect.REPORTED_WITHOUT_ID),
        USER_DUPLICATE_ID("users", Expect.DUPLICATE),
        USER_MISSING_NAME("users", Expect.REPORTED, "name", "NAME_MISSING", "FIELD_MISSING"),
        USER_NULL_NAME_PARTS("users", Expect.REPORTED, "name", "NAME_MISSING", "FIELD_MISSING"),
        USER_NAME_IS_NUMBER("users", Expect.REPORTED, null, "INVALID_RECORD"),
        USER_ROLES_EMPTY("users", Expect.REPORTED, null, "HANDLED_ERROR"),
        USER_ROLES_NULL("users", Expect.REPORTED, null, "HANDLED_ERROR"),
        USER_ROLES_UNKNOWN("users", Expect.REPORTED, null, "HANDLED_ERROR"),
        USER_ROLES_IS_STRING("users", Expect.REPORTED, null, "INVALID_RECORD"),
        USER_SCHOOLS_IS_STRING("users", Expect.REPORTED, null, "INVALID_RECORD"),
        USER_LONG_FIRST_NAME("users", Expect.REPORTED, "name.first", "FIELD_TOO_LONG", "VALUE_TOO_LONG"),
        USER_LONG_EMAIL("users", Expect.REPORTED, "email", "FIELD_TOO_LONG", "VALUE_TOO_LONG"),
        USER_LONG_SIS_ID("users", Expect.REPORTED, "sis_id", "FIELD_TOO_LONG", "VALUE_TOO_LONG"),
        USER_CONTROL_CHARS_IN_NAME("users", Expect.REPORTED, "name", "FIELD_INVALID_CHARS"),
        USER_LONE_SURROGATE_IN_NAME("users", Expect.REPORTED, "name.first", "FIELD_INVALID_CHARS"),
        USER_INVALID_DOB("users", Expect.REPORTED, "dob", "DOB_INVALID"),
        USER_UNKNOWN_SCHOOL("users", Expect.REPORTED, "school", "UNKNOWN_REFERENCE", "SCHOOL_NOT_SHARED"),
        CONTACT_OF_UNKNOWN_STUDENT("users", Expect.REPORTED, "student", "UNKNOWN_REFERENCE", "STUDENT_NOT_SHARED"),
        // sections
        SECTION_MISSING_ID("sections", Expect.REPORTED_WITHOUT_ID),
        SECTION_OVERLONG_ID("sections", Expect.REPORTED_WITHOUT_ID),
        SECTION_DUPLICATE_ID("sections", Expect.DUPLICATE),
        SECTION_STUDENTS_IS_STRING("sections", Expect.REPORTED, null, "INVALID_RECORD"),
        SECTION_TEACHERS_IS_OBJECT("sections", Expect.REPORTED, null, "INVALID_RECORD"),
        SECTION_NAME_IS_OBJECT("sections", Expect.REPORTED, null, "INVALID_RECORD"),
        SECTION_MISSING_NAME("sections", Expect.REPORTED, "name", "SECTION_NAME_MISSING"),
        SECTION_LONG_NAME("sections", Expect.REPORTED, "name", "FIELD_TOO_LONG", "VALUE_TOO_LONG"),
        SECTION_CONTROL_CHARS_IN_NAME("sections", Expect.REPORTED, "name", "FIELD_INVALID_CHARS"),
        SECTION_UNKNOWN_TERM("sections", Expect.REPORTED, "term_id", "SECTION_TERM_NOT_SHARED"),
        SECTION_UNKNOWN_COURSE("sections", Expect.REPORTED, "course", "UNKNOWN_REFERENCE", "SECTION_COURSE_NOT_SHARED"),
        SECTION_UNKNOWN_SCHOOL("sections", Expect.REPORTED, "school", "UNKNOWN_REFERENCE", "SECTION_SCHOOL_NOT_SHARED"),
        SECTION_UNKNOWN_USERS("sections", Expect.REPORTED, "student", "UNKNOWN_REFERENCE", "SECTION_USER_NOT_SHARED"),
        // terms
        TERM_MISSING_ID("terms", Expect.REPORTED_WITHOUT_ID),
        TERM_DUPLICATE_ID("terms", Expect.DUPLICATE),
        TERM_START_DATE_SOON("terms", Expect.REPORTED, null, "INVALID_RECORD"),
        TERM_END_DATE_IS_NUMBER("terms", Expect.REPORTED, "end_date", "INVALID_RECORD"),
        TERM_LONG_NAME("terms", Expect.REPORTED, "name", "FIELD_TOO_LONG", "VALUE_TOO_LONG"),
        // courses
        COURSE_MISSING_ID("courses", Expect.REPORTED_WITHOUT_ID),
        COURSE_DUPLICATE_ID("courses", Expect.DUPLICATE),
        COURSE_NAME_IS_ARRAY("courses", Expect.REPORTED, null, "INVALID_RECORD"),
        COURSE_LONG_NAME("courses", Expect.REPORTED, "name", "FIELD_TOO_LONG", "VALUE_TOO_LONG"),
        // schools
        SCHOOL_MISSING_ID("schools", Expect.REPORTED_WITHOUT_ID),
        SCHOOL_DUPLICATE_ID("schools", Expect.DUPLICATE),
        SCHOOL_LONG_NAME("schools", Expect.REPORTED, "name", "FIELD_TOO_LONG", "VALUE_TOO_LONG"),
        SCHOOL_CONTROL_CHARS_IN_NAME("schools", Expect.REPORTED, "name", "FIELD_INVALID_CHARS");

        public final String collection;
        public final Expect expect;
        /**
         * How a report of this malformation looks: a warning with its id whose code is one of {@code codes}, or whose
         * field starts with {@code field} (a code not yet named here); an ERROR or SKIPPED outcome with a reason also counts.
         */
        public final String field;
        public final Set<String> codes;

        Shape(String collection, Expect expect) {
            this(collection, expect, null);
        }

        Shape(String collection, Expect expect, String field, String... codes) {
            this.collection = collection;
            this.expect = expect;
            this.field = field;
            this.codes = Set.of(codes);
        }

        public static List<Shape> malformations() {
            return List.of(values()).subList(1, values().length);
        }
    }

    /** Names of valid users: valid UTF-8 that must reach the host byte for byte (accents, scripts, emoji, ZWJ, combining marks). */
    static final List<String> UTF8_NAMES = List.of("Zoë", "Françoise", "José", "Nguyễn", "Łukasz", "Søren", "Ætheling",
            "O'Brien-Núñez", "李小龍", "山田", "Даша", "محمد", "नमस्ते", "😀", "Zoë 😀", "Rene\u0301e", "👩\u200D👩\u200D👧",
            "Ｆｕｌｌ", "Ann", "Mary Jo", "D'Angelo", "Ørjan-Åse", "𝔐𝔞𝔯𝔨", "Chloé 🎓");
    /** Control characters Clever could pass through from a SIS export: NUL, BEL, ESC, TAB, LF, DEL, NEL. */
    public static final List<String> CONTROLS = List.of("\u0000", "\u0007", "\u001b", "\t", "\n", "\u007f", "\u0085");
    /** The same without NUL, which PostgreSQL text cannot hold (a known engine defect, shown on its own). */
    public static final List<String> CONTROLS_BUT_NUL = CONTROLS.subList(1, CONTROLS.size());

    public final long seed;
    public final String districtId;
    public final String districtJson;
    public final List<Item> items = new ArrayList<>();
    public final Set<Shape> shapes = EnumSet.noneOf(Shape.class);

    private final SplittableRandom random;
    private final List<String> controls;
    private int counter;
    // the backbone, kept as maps until the end so bad users can still be enrolled in sections
    private final List<Map<String, Object>> schools = new ArrayList<>();
    private final List<Map<String, Object>> terms = new ArrayList<>();
    private final List<Map<String, Object>> courses = new ArrayList<>();
    private final List<Map<String, Object>> sections = new ArrayList<>();
    private final List<String> studentIds = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(String collection, String id, Shape shape, Object record, String cleanFirstName) {}

    /**
     * A district with malformations picked from the seed: every third malformation by turn (so each comes up in a third
     * of the seeds, whatever the seeds) plus a few at random.
     */
    public static MalformedDistrict generate(long seed, List<String> controls) {
        return new MalformedDistrict(seed, null, controls);
    }

    /** A district with exactly these malformations (for one defect at a time). */
    public static MalformedDistrict generate(long seed, Set<Shape> shapes, List<String> controls) {
        return new MalformedDistrict(seed, Set.copyOf(shapes), controls);
    }

    private MalformedDistrict(long seed, Set<Shape> chosen, List<String> controls) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.controls = List.copyOf(controls);
        this.districtId = id(0xd);
        Map<String, Object> district = new LinkedHashMap<>();
        district.put("id", districtId);
        district.put("name", "Malformed District " + seed);
        district.put("sis_type", "sftp");
        district.put("state", "success");
        this.districtJson = Json.write(district);

        backbone();
        List<Shape> all = Shape.malformations();
        if (chosen == null) {
            for (int i = 0; i < all.size(); i++) {
                if ((i + seed) % 3 == 0 || random.nextInt(8) == 0) {
                    shapes.add(all.get(i));
                }
            }
        } else {
            shapes.addAll(chosen);
        }
        for (Shape shape : shapes) {
            malform(shape);
        }
        serve();
    }

    // ---- the valid backbone ----

    private void backbone() {
        for (int i = 0; i < 2; i++) {
            Map<String, Object> school = school(id(0x5c), "Lincoln " + (i == 0 ? "Elementary" : "Middle") + " School " + i);
            schools.add(school);
            pending.add(new Pending("schools", (String) school.get("id"), Shape.VALID, school, null));
        }
        for (int i = 0; i < 2; i++) {
            Map<String, Object> term = term(id(0x7e), "Semester " + (i + 1), i == 0 ? "2025-08-15" : "2026-01-10",
                    i == 0 ? "2025-12-20" : "2026-06-05");
            terms.add(term);
            pending.add(new Pending("terms", (String) term.get("id"), Shape.VALID, term, null));
        }
        for (int i = 0; i < 2; i++) {
            Map<String, Object> course = course(id(0xc0), i == 0 ? "Mathematics 5" : "Lengua y Literatura", "C" + (100 + i));
            courses.add(course);
            pending.add(new Pending("courses", (String) course.get("id"), Shape.VALID, course, null));
        }
        int sectionCount = 2 + random.nextInt(2);
        for (int i = 0; i < sectionCount; i++) {
            String teacherId = id(0x7c);
            String first = pick(UTF8_NAMES);
            pending.add(new Pending("users", teacherId, Shape.VALID, teacher(teacherId, first, pick(UTF8_NAMES), i % 2), first));
            Map<String, Object> section = section(id(0x5e), i % 2, i % 2, i % 2, teacherId, "Period " + (i + 1) + " · " + pick(UTF8_NAMES));
            sections.add(section);
            pending.add(new Pending("sections", (String) section.get("id"), Shape.VALID, section, null));
            int students = 2 + random.nextInt(4);
            for (int s = 0; s < students; s++) {
                String studentId = id(0x57);
                String name = pick(UTF8_NAMES);
                pending.add(new Pending("users", studentId, Shape.VALID, student(studentId, name, pick(UTF8_NAMES), i % 2), name));
                enrol(section, studentId);
                studentIds.add(studentId);
            }
        }
        String staffId = id(0x5f);
        pending.add(new Pending("users", staffId, Shape.VALID, staff(staffId, "Ingrid", "Ødegård"), "Ingrid"));
        String adminId = id(0xad);
        pending.add(new Pending("users", adminId, Shape.VALID, admin(adminId, "Morgan", "Avery"), "Morgan"));
        String contactId = id(0xcc);
        pending.add(new Pending("users", contactId, Shape.VALID, contact(contactId, studentIds.get(0)), null));
    }

    // ---- malformations ----

    private void malform(Shape shape) {
        switch (shape) {
            case VALID -> throw new IllegalArgumentException("not a malformation");
            case USER_MISSING_ID -> badUser(shape, u -> { u.remove("id"); return null; });
            case USER_BLANK_ID -> badUser(shape, u -> { u.put("id", " "); return null; });
            case USER_OVERLONG_ID -> badUser(shape, u -> { u.put("id", overlongId()); return null; });
            case USER_DUPLICATE_ID -> {
                Pending original = pickValid("users");
                Map<String, Object> copy = student(original.id(), "Duplicate", "Record", 0);
                pending.add(new Pending("users", original.id(), shape, copy, null));
            }
            case USER_MISSING_NAME -> badUser(shape, u -> { u.remove("name"); return u.get("id"); });
            case USER_NULL_NAME_PARTS -> badUser(shape, u -> {
                Map<String, Object> name = new LinkedHashMap<>();
                name.put("first", null);
                name.put("middle", null);
                name.put("last", null);
                u.put("name", name);
                return u.get("id");
            });
            case USER_NAME_IS_NUMBER -> badUser(shape, u -> { u.put("name", 5); return u.get("id"); });
            case USER_ROLES_EMPTY -> badUser(shape, u -> { u.put("roles", new LinkedHashMap<>()); return u.get("id"); });
            case USER_ROLES_NULL -> badUser(shape, u -> { u.put("roles", null); return u.get("id"); });
            case USER_ROLES_UNKNOWN -> badUser(shape, u -> {
                Map<String, Object> roles = new LinkedHashMap<>();
                roles.put("wizard", new LinkedHashMap<>());
                u.put("roles", roles);
                return u.get("id");
            });
            case USER_ROLES_IS_STRING -> badUser(shape, u -> { u.put("roles", "student"); return u.get("id"); });
            case USER_SCHOOLS_IS_STRING -> badUser(shape, u -> { role(u).put("schools", "abc"); return u.get("id"); });
            case USER_LONG_FIRST_NAME -> badUser(shape, u -> { name(u).put("first", longText()); return u.get("id"); });
            case USER_LONG_EMAIL -> badUser(shape, u -> { u.put("email", longText() + "@example.org"); return u.get("id"); });
            case USER_LONG_SIS_ID -> badUser(shape, u -> { role(u).put("sis_id", longText()); return u.get("id"); });
            case USER_CONTROL_CHARS_IN_NAME -> badUser(shape, u -> {
                name(u).put(random.nextBoolean() ? "first" : "last", withControl(pick(UTF8_NAMES)));
                return u.get("id");
            });
            case USER_LONE_SURROGATE_IN_NAME -> badUser(shape, u -> {
                String lone = random.nextBoolean() ? "\uD800" : "\uDC00";
                name(u).put("first", "Zo" + lone + "ë" + (random.nextBoolean() ? "😀" : ""));
                return u.get("id");
            });
            case USER_INVALID_DOB -> badUser(shape, u -> {
                role(u).put("dob", pick(List.of("13/45/2020", "2/30/2015", "2015-02-01", "yesterday", "0/0/0")));
                return u.get("id");
            });
            case USER_UNKNOWN_SCHOOL -> badUser(shape, u -> {
                String unknown = id(0xee);
                Map<String, Object> role = role(u);
                role.put("school", unknown);
                role.put("schools", List.of(unknown));
                role.put("enrollments", List.of(enrollment(unknown)));
                return u.get("id");
            });
            case CONTACT_OF_UNKNOWN_STUDENT -> {
                String contactId = id(0xcc);
                pending.add(new Pending("users", contactId, shape, contact(contactId, id(0xee)), null));
            }
            case SECTION_MISSING_ID -> badSection(shape, s -> s.remove("id"));
            case SECTION_OVERLONG_ID -> badSection(shape, s -> s.put("id", overlongId()));
            case SECTION_DUPLICATE_ID -> {
                Pending original = pickValid("sections");
                Map<String, Object> copy = section(original.id(), 0, 0, 0, null, "Duplicate section");
                pending.add(new Pending("sections", original.id(), shape, copy, null));
            }
            case SECTION_STUDENTS_IS_STRING -> badSection(shape, s -> s.put("students", "abc"));
            case SECTION_TEACHERS_IS_OBJECT -> badSection(shape, s -> s.put("teachers", Map.of("teacher", 1)));
            case SECTION_NAME_IS_OBJECT -> badSection(shape, s -> s.put("name", Map.of("first", "Math")));
            case SECTION_MISSING_NAME -> badSection(shape, s -> s.remove("name"));
            case SECTION_LONG_NAME -> badSection(shape, s -> s.put("name", longText()));
            case SECTION_CONTROL_CHARS_IN_NAME -> badSection(shape, s -> s.put("name", withControl("Algebra I")));
            case SECTION_UNKNOWN_TERM -> badSection(shape, s -> s.put("term_id", id(0xee)));
            case SECTION_UNKNOWN_COURSE -> badSection(shape, s -> s.put("course", id(0xee)));
            case SECTION_UNKNOWN_SCHOOL -> badSection(shape, s -> s.put("school", id(0xee)));
            case SECTION_UNKNOWN_USERS -> badSection(shape, s -> {
                String teacher = id(0xee);
                s.put("teacher", teacher);
                s.put("teachers", List.of(teacher));
                s.put("students", List.of(id(0xee), id(0xee)));
            });
            case TERM_MISSING_ID -> badRecord("terms", shape, term(id(0x7e), "Summer", "2026-06-10", "2026-07-30"), t -> t.remove("id"));
            case TERM_DUPLICATE_ID -> {
                Pending original = pickValid("terms");
                pending.add(new Pending("terms", original.id(), shape, term(original.id(), "Duplicate term", "2024-01-01", "2024-06-01"), null));
            }
            case TERM_START_DATE_SOON -> badRecord("terms", shape, term(id(0x7e), "Soon", "soon", "2026-07-30"), t -> { });
            case TERM_END_DATE_IS_NUMBER -> badRecord("terms", shape, term(id(0x7e), "Numeric", "2026-06-10", "2026-07-30"),
                    t -> t.put("end_date", 20260730));
            case TERM_LONG_NAME -> badRecord("terms", shape, term(id(0x7e), longText(), "2026-06-10", "2026-07-30"), t -> { });
            case COURSE_MISSING_ID -> badRecord("courses", shape, course(id(0xc0), "Art", "C900"), c -> c.remove("id"));
            case COURSE_DUPLICATE_ID -> {
                Pending original = pickValid("courses");
                pending.add(new Pending("courses", original.id(), shape, course(original.id(), "Duplicate course", "C000"), null));
            }
            case COURSE_NAME_IS_ARRAY -> badRecord("courses", shape, course(id(0xc0), "Art", "C901"), c -> c.put("name", List.of("Art", "II")));
            case COURSE_LONG_NAME -> badRecord("courses", shape, course(id(0xc0), longText(), "C902"), c -> { });
            case SCHOOL_MISSING_ID -> badRecord("schools", shape, school(id(0x5c), "Nameless"), s -> s.remove("id"));
            case SCHOOL_DUPLICATE_ID -> {
                Pending original = pickValid("schools");
                pending.add(new Pending("schools", original.id(), shape, school(original.id(), "Duplicate school"), null));
            }
            case SCHOOL_LONG_NAME -> badRecord("schools", shape, school(id(0x5c), longText()), s -> { });
            case SCHOOL_CONTROL_CHARS_IN_NAME -> badRecord("schools", shape, school(id(0x5c), withControl("Roosevelt High")), s -> { });
        }
    }

    /** A student in a valid section (so nothing but the malformation can keep it from an account), then malformed. */
    private void badUser(Shape shape, Function<Map<String, Object>, Object> change) {
        String id = id(0xba);
        Map<String, Object> user = student(id, pick(UTF8_NAMES), pick(UTF8_NAMES), 0);
        enrol(sections.get(random.nextInt(sections.size())), id);
        Object idAfter = change.apply(user);
        pending.add(new Pending("users", idAfter instanceof String s ? s : null, shape, user, null));
    }

    private void badSection(Shape shape, java.util.function.Consumer<Map<String, Object>> change) {
        String teacherId = ((Map<?, ?>) sections.get(0)).get("teacher").toString();
        Map<String, Object> section = section(id(0x5e), 0, 0, 0, teacherId, "Extra " + pick(UTF8_NAMES));
        enrol(section, studentIds.get(random.nextInt(studentIds.size())));
        badRecord("sections", shape, section, change);
    }

    private void badRecord(String collection, Shape shape, Map<String, Object> record, java.util.function.Consumer<Map<String, Object>> change) {
        change.accept(record);
        Object id = record.get("id");
        boolean usable = id instanceof String s && !s.isBlank() && s.length() <= 64;
        pending.add(new Pending(collection, usable ? (String) id : null, shape, record, null));
    }

    private Pending pickValid(String collection) {
        List<Pending> valid = pending.stream().filter(p -> p.collection().equals(collection) && p.shape() == Shape.VALID).toList();
        return valid.get(random.nextInt(valid.size()));
    }

    /** Serialises everything in a seeded order; a duplicate always comes after its original, on the same page. */
    private void serve() {
        List<Pending> order = new ArrayList<>(pending);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Pending t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        List<Pending> duplicates = order.stream().filter(p -> p.shape().expect == Expect.DUPLICATE).toList();
        order.removeAll(duplicates);
        order.addAll(duplicates);
        for (Pending p : order) {
            String clean = p.shape() == Shape.VALID ? p.cleanFirstName() : null;
            items.add(new Item(p.collection(), p.id(), p.shape().expect, p.shape(), Json.write(p.record()), clean));
        }
    }

    public Map<String, List<String>> served() {
        Map<String, List<String>> served = new LinkedHashMap<>();
        for (Item item : items) {
            served.computeIfAbsent(item.collection(), c -> new ArrayList<>()).add(item.json());
        }
        return served;
    }

    public long servedCount(String collection) {
        return items.stream().filter(i -> i.collection().equals(collection)).count();
    }

    @Override
    public String toString() {
        return "district " + districtId + " (seed " + seed + "): " + items.size() + " items, malformations " + shapes;
    }

    // ---- Clever shapes (NOTES.md §4) ----

    private String id(int tag) {
        // 24 hex characters like an ObjectID, unique per seed and tag
        return String.format("%06x%02x%016x", seed & 0xffffff, tag & 0xff, ++counter);
    }

    private String overlongId() {
        return random.nextBoolean() ? "f".repeat(65 + random.nextInt(40)) : "a".repeat(10_000);
    }

    private String longText() {
        StringBuilder sb = new StringBuilder(10_000);
        for (int i = 0; i < 10_000; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    private String withControl(String name) {
        String control = pick(controls);
        return switch (random.nextInt(3)) {
            case 0 -> control + name;
            case 1 -> name + control;
            default -> name.substring(0, 1) + control + name.substring(1);
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> name(Map<String, Object> user) {
        return (Map<String, Object>) user.get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> role(Map<String, Object> user) {
        return (Map<String, Object>) ((Map<String, Object>) user.get("roles")).values().iterator().next();
    }

    @SuppressWarnings("unchecked")
    private static void enrol(Map<String, Object> section, String studentId) {
        ((List<String>) section.get("students")).add(studentId);
    }

    private Map<String, Object> base(String id) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("district", districtId);
        o.put("created", "2025-07-01T00:00:00.000Z");
        o.put("last_modified", "2025-07-02T00:00:00.000Z");
        return o;
    }

    private Map<String, Object> school(String id, String name) {
        Map<String, Object> o = base(id);
        o.put("name", name);
        o.put("sis_id", "SCH-" + counter);
        o.put("school_number", String.valueOf(100 + counter));
        o.put("state_id", null);
        o.put("low_grade", "Kindergarten");
        o.put("high_grade", "8");
        o.put("location", Map.of("address", "1 School Street", "city", "Springfield", "state", "IL", "zip", "62701"));
        o.put("principal", Map.of("name", "Pat Principal", "email", "principal" + counter + "@example.org"));
        o.put("ext", Map.of("charter_school", ""));
        return o;
    }

    private Map<String, Object> term(String id, String name, String start, String end) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("district", districtId);
        o.put("name", name);
        o.put("start_date", start);
        o.put("end_date", end);
        return o;
    }

    private Map<String, Object> course(String id, String name, String number) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("district", districtId);
        o.put("name", name);
        o.put("number", number);
        return o;
    }

    private Map<String, Object> section(String id, int school, int term, int course, String teacherId, String name) {
        Map<String, Object> o = base(id);
        o.put("school", schools.get(school).get("id"));
        o.put("name", name);
        o.put("sis_id", "SEC-" + counter);
        o.put("subject", "math");
        o.put("students", new ArrayList<String>());
        o.put("teacher", teacherId);
        o.put("teachers", teacherId == null ? List.of() : List.of(teacherId));
        o.put("course", courses.get(course).get("id"));
        o.put("term_id", terms.get(term).get("id"));
        o.put("grade", "5");
        o.put("period", "1");
        o.put("section_number", "1");
        o.put("ext", Map.of("classroom", "Room " + counter));
        return o;
    }

    private Map<String, Object> person(String id, String first, String middle, String last, String email) {
        Map<String, Object> o = base(id);
        o.put("email", email);
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("first", first);
        if (middle != null) {
            name.put("middle", middle);
        }
        name.put("last", last);
        o.put("name", name);
        return o;
    }

    private Map<String, Object> enrollment(String schoolId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("school", schoolId);
        e.put("start_date", "2025-08-15");
        e.put("end_date", null);
        return e;
    }

    private Map<String, Object> student(String id, String first, String last, int school) {
        Map<String, Object> o = person(id, first, random.nextBoolean() ? "Q" : null, last, "s" + id + "@students.example.org");
        String schoolId = (String) schools.get(school).get("id");
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("credentials", Map.of("district_username", "s" + id));
        st.put("dob", (1 + random.nextInt(12)) + "/" + (1 + random.nextInt(28)) + "/2014");
        st.put("ell_status", "N");
        st.put("enrollments", new ArrayList<>(List.of(enrollment(schoolId))));
        st.put("ext", Map.of("gifted_status", ""));
        st.put("gender", pick(List.of("F", "M", "X", "")));
        st.put("grade", "5");
        st.put("graduation_year", "2033");
        st.put("hispanic_ethnicity", "N");
        st.put("race", "Unknown");
        st.put("school", schoolId);
        st.put("schools", new ArrayList<>(List.of(schoolId)));
        st.put("sis_id", "S" + id);
        st.put("state_id", "IL" + id);
        st.put("student_number", "N" + id);
        Map<String, Object> roles = new LinkedHashMap<>();
        roles.put("student", st);
        o.put("roles", roles);
        return o;
    }

    private Map<String, Object> teacher(String id, String first, String last, int school) {
        Map<String, Object> o = person(id, first, null, last, "t" + id + "@example.org");
        String schoolId = (String) schools.get(school).get("id");
        Map<String, Object> te = new LinkedHashMap<>();
        te.put("credentials", Map.of("district_username", "t" + id));
        te.put("ext", Map.of("admin_permissions", ""));
        te.put("legacy_id", id);
        te.put("school", schoolId);
        te.put("schools", List.of(schoolId));
        te.put("sis_id", "T" + id);
        te.put("state_id", null);
        te.put("teacher_number", "TN" + id);
        te.put("title", "Teacher");
        o.put("roles", Map.of("teacher", te));
        return o;
    }

    private Map<String, Object> staff(String id, String first, String last) {
        Map<String, Object> o = person(id, first, null, last, "f" + id + "@example.org");
        Map<String, Object> sf = new LinkedHashMap<>();
        sf.put("credentials", Map.of("district_username", "f" + id));
        sf.put("department", "Student Services");
        sf.put("ext", Map.of());
        sf.put("legacy_id", id);
        sf.put("roles", List.of("counselor"));
        sf.put("schools", List.of(schools.get(0).get("id")));
        sf.put("staff_id", "F" + id);
        sf.put("title", "Counselor");
        o.put("roles", Map.of("staff", sf));
        return o;
    }

    private Map<String, Object> admin(String id, String first, String last) {
        Map<String, Object> o = person(id, first, null, last, "admin" + id + "@example.org");
        Map<String, Object> da = new LinkedHashMap<>();
        da.put("legacy_id", id);
        da.put("title", "Superintendent");
        o.put("roles", Map.of("district_admin", da));
        return o;
    }

    private Map<String, Object> contact(String id, String studentId) {
        // a contact's full name arrives in last (NOTES.md §4)
        Map<String, Object> o = person(id, null, null, "Jordan Guardián", "c" + id + "@example.org");
        Map<String, Object> relationship = new LinkedHashMap<>();
        relationship.put("student", studentId);
        relationship.put("relationship", "Parent");
        relationship.put("type", "Parent/Guardian");
        Map<String, Object> co = new LinkedHashMap<>();
        co.put("legacy_id", id);
        co.put("phone", "(555) 010-0000");
        co.put("phone_type", "Cell");
        co.put("sis_id", "C" + id);
        co.put("student_relationships", List.of(relationship));
        o.put("roles", Map.of("contact", co));
        return o;
    }
}
