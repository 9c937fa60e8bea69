package dev.homeroom.host.e2e.realdata;

import dev.homeroom.host.e2e.malformed.CleverStub;
import dev.homeroom.host.e2e.malformed.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small district in Clever's shape that a test edits between runs, the way real districts change: one school, one
 * term and course, sections with a teacher and students. Records are plain maps written as Clever's JSON; {@link #serve()}
 * starts a {@link CleverStub} for them and {@link #update(CleverStub)} makes it answer with the edited records.
 */
public final class TinyDistrict {
    public static final String TOKEN = "tiny-district-token";
    public static final String DISTRICT = "district-1";
    public static final String SCHOOL = "school-1";
    public static final String TERM = "term-1";
    public static final String COURSE = "course-1";

    private final Map<String, Map<String, Object>> schools = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> terms = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> courses = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> users = new LinkedHashMap<>();

    private TinyDistrict() {
        addSchool(SCHOOL, "Lincoln Elementary");
        Map<String, Object> term = base(TERM);
        term.put("name", "School year");
        term.put("start_date", "2025-08-15");
        term.put("end_date", "2026-06-05");
        terms.put(TERM, term);
        Map<String, Object> course = base(COURSE);
        course.put("name", "Mathematics");
        course.put("number", "M100");
        courses.put(COURSE, course);
    }

    /** A teacher {@code teacher-1} with students {@code student-1..3} in section {@code section-1}. */
    public static TinyDistrict oneClass() {
        TinyDistrict d = new TinyDistrict();
        d.addTeacher("teacher-1", "T1");
        for (int i = 1; i <= 3; i++) {
            d.addStudent("student-" + i, "S" + i, "5");
        }
        d.addSection("section-1", "teacher-1", "student-1", "student-2", "student-3");
        return d;
    }

    public Map<String, Object> addSchool(String id, String name) {
        Map<String, Object> o = base(id);
        o.put("name", name);
        o.put("sis_id", "SCH-" + id);
        o.put("school_number", id);
        schools.put(id, o);
        return o;
    }

    public Map<String, Object> addStudent(String id, String sisId, String grade) {
        Map<String, Object> o = person(id, "s-" + id + "@students.example.org");
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("dob", "3/14/2014");
        st.put("grade", grade);
        st.put("school", SCHOOL);
        st.put("schools", new ArrayList<>(List.of(SCHOOL)));
        st.put("sis_id", sisId);
        st.put("student_number", sisId);
        roles(o).put("student", st);
        users.put(id, o);
        return o;
    }

    public Map<String, Object> addTeacher(String id, String sisId) {
        Map<String, Object> o = person(id, "t-" + id + "@example.org");
        Map<String, Object> te = new LinkedHashMap<>();
        te.put("school", SCHOOL);
        te.put("schools", new ArrayList<>(List.of(SCHOOL)));
        te.put("sis_id", sisId);
        te.put("teacher_number", sisId);
        roles(o).put("teacher", te);
        users.put(id, o);
        return o;
    }

    public Map<String, Object> addSection(String id, String teacherId, String... studentIds) {
        Map<String, Object> o = base(id);
        o.put("school", SCHOOL);
        o.put("name", "Math " + id);
        o.put("sis_id", "SEC-" + id);
        o.put("subject", "math");
        o.put("students", new ArrayList<>(List.of(studentIds)));
        o.put("teacher", teacherId);
        o.put("teachers", teacherId == null ? new ArrayList<>() : new ArrayList<>(List.of(teacherId)));
        o.put("course", COURSE);
        o.put("term_id", TERM);
        o.put("grade", "5");
        o.put("period", "1");
        sections.put(id, o);
        return o;
    }

    public Map<String, Object> user(String id) {
        return require(users, id);
    }

    /** One role's data of a user ({@code student}, {@code teacher}, …). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> role(String userId, String role) {
        return (Map<String, Object>) require(roles(user(userId)), role);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> roles(Map<String, Object> user) {
        return (Map<String, Object>) user.get("roles");
    }

    public Map<String, Object> section(String id) {
        return require(sections, id);
    }

    public void removeUser(String id) {
        users.remove(id);
    }

    @SuppressWarnings("unchecked")
    public List<String> students(String sectionId) {
        return (List<String>) section(sectionId).get("students");
    }

    public String districtJson() {
        Map<String, Object> district = new LinkedHashMap<>();
        district.put("id", DISTRICT);
        district.put("name", "Tiny District");
        district.put("state", "success");
        return Json.write(district);
    }

    public Map<String, List<String>> items() {
        Map<String, List<String>> items = new LinkedHashMap<>();
        items.put("schools", json(schools));
        items.put("terms", json(terms));
        items.put("courses", json(courses));
        items.put("sections", json(sections));
        items.put("users", json(users));
        return items;
    }

    public CleverStub serve() throws IOException {
        return new CleverStub(TOKEN, districtJson(), items());
    }

    /** The stub answers with the district as edited since. */
    public void update(CleverStub stub) {
        stub.serve(districtJson(), items());
    }

    private static List<String> json(Map<String, Map<String, Object>> records) {
        // Clever pages in id order
        return records.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> Json.write(e.getValue())).toList();
    }

    private static Map<String, Object> base(String id) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id);
        o.put("district", DISTRICT);
        return o;
    }

    private static Map<String, Object> person(String id, String email) {
        Map<String, Object> o = base(id);
        o.put("email", email);
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("first", "First " + id);
        name.put("last", "Last " + id);
        o.put("name", name);
        o.put("roles", new LinkedHashMap<String, Object>());
        return o;
    }

    private static <V> V require(Map<String, V> map, String id) {
        V v = map.get(id);
        if (v == null) {
            throw new IllegalArgumentException("no record " + id + " in the tiny district");
        }
        return v;
    }
}
