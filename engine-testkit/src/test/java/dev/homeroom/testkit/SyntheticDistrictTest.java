package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticDistrictTest {

    static SyntheticDistrict district = SyntheticDistrict.demo();
    static CleverSimulator sim;
    static Api api;
    static Map<String, JsonNode> served = new HashMap<>();

    @BeforeAll
    static void fetchEverything() {
        sim = CleverSimulator.builder().district(district).build().start();
        api = new Api(sim);
        for (String kind : List.of("schools", "terms", "courses", "sections", "users")) {
            for (JsonNode r : api.all("/v3.0/" + kind + "?limit=10000")) served.put(r.get("id").asText(), r);
        }
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        DistrictSpec spec = DistrictSpec.builder().students(200).schools(2).seed(7).build();
        byte[] a = body(SyntheticDistrict.of(spec), "/v3.0/users?limit=10000");
        byte[] b = body(SyntheticDistrict.of(DistrictSpec.builder().students(200).schools(2).seed(7).build()), "/v3.0/users?limit=10000");
        byte[] c = body(SyntheticDistrict.of(spec.toBuilder().seed(8).build()), "/v3.0/users?limit=10000");
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(body(SyntheticDistrict.of(spec), "/v3.0/sections?limit=10000"))
                .isEqualTo(body(SyntheticDistrict.of(spec), "/v3.0/sections?limit=10000"));
    }

    private static byte[] body(SyntheticDistrict d, String path) throws Exception {
        try (CleverSimulator s = CleverSimulator.builder().district(d).build().start()) {
            return new Api(s).bytes(path).body();
        }
    }

    @Test
    void everyQuirkHasIdsInTheDemoDistrict() {
        for (Quirk q : Quirk.values()) assertThat(district.idsWith(q)).as(q.name()).isNotEmpty();
    }

    @Test
    void everyQuirkIsInTheServedJson() {
        Map<Quirk, Predicate<JsonNode>> check = new HashMap<>();
        check.put(Quirk.MULTI_ROLE_TEACHER_STAFF, u -> roles(u).equals(Set.of("teacher", "staff")));
        check.put(Quirk.MULTI_ROLE_TEACHER_STAFF_ADMIN, u -> roles(u).equals(Set.of("teacher", "staff", "district_admin")));
        check.put(Quirk.DISTRICT_ADMIN, u -> roles(u).contains("district_admin"));
        check.put(Quirk.STAFF_SCHOOLS_ONLY, u -> roles(u).equals(Set.of("staff")) && u.at("/roles/staff/schools").size() > 0
                && sectionsOf(u.get("id").asText()).isEmpty());
        check.put(Quirk.CONTACT, u -> roles(u).equals(Set.of("contact")) && u.at("/roles/contact/student_relationships").size() > 0
                && !u.get("name").has("first") && u.at("/name/last").asText().contains(" "));
        check.put(Quirk.STUDENT_NO_SECTIONS, u -> roles(u).contains("student") && sectionsOf(u.get("id").asText()).isEmpty());
        check.put(Quirk.TEACHER_NO_SECTIONS, u -> roles(u).contains("teacher") && sectionsOf(u.get("id").asText()).isEmpty());
        check.put(Quirk.USER_MULTI_SCHOOL, u -> sectionsOf(u.get("id").asText()).stream().map(s -> s.get("school").asText())
                .distinct().count() > 1);
        check.put(Quirk.STUDENT_MULTIPLE_SECTIONS, u -> sectionsOf(u.get("id").asText()).size() > 1);
        check.put(Quirk.STUDENT_MISSING_DOB, u -> roles(u).contains("student") && !u.at("/roles/student").has("dob"));
        check.put(Quirk.DOB_M_D_YYYY, u -> u.at("/roles/student/dob").asText().matches("[1-9]/[1-9]/\\d{4}"));
        check.put(Quirk.STUDENT_MISSING_GRADUATION_YEAR, u -> roles(u).contains("student") && !u.at("/roles/student").has("graduation_year"));
        check.put(Quirk.NAME_UTF8, u -> !u.get("name").toString().chars().allMatch(ch -> ch < 128)
                && nameParts(u).stream().noneMatch(p -> p.matches(".*\\p{Cntrl}.*")));
        check.put(Quirk.NAME_UNTRIMMED_CONTROL_CHARS, u -> nameParts(u).stream().anyMatch(p -> !p.equals(p.strip()))
                && nameParts(u).stream().anyMatch(p -> p.matches("(?s).*\\p{Cntrl}.*")));
        check.put(Quirk.NAME_TOO_LONG, u -> nameParts(u).stream().anyMatch(p -> p.length() > 100));
        check.put(Quirk.EMAIL_TOO_LONG, u -> u.get("email").asText().length() > 254);
        check.put(Quirk.DUPLICATE_EMAIL, u -> count(x -> x.path("email").asText().equals(u.get("email").asText())) > 1);
        check.put(Quirk.DUPLICATE_SIS_ID, u -> count(x -> x.at("/roles/student/sis_id").asText().equals(u.at("/roles/student/sis_id").asText())) > 1);
        check.put(Quirk.SENSITIVE_FIELDS, u -> u.at("/roles/student").has("iep_status") && u.at("/roles/student").has("ell_status")
                && u.at("/roles/student").has("frl_status"));
        check.put(Quirk.SECTION_TERM_NOT_SHARED, s -> !served.containsKey(s.get("term_id").asText()));
        check.put(Quirk.SECTION_NO_NAME, s -> !s.has("name") && s.has("course") && s.has("teacher") && s.has("period"));
        check.put(Quirk.SECTION_SUBJECT_OTHER, s -> s.get("subject").asText().equals("other"));
        check.put(Quirk.SECTION_GRADE_MISMATCH, s -> {
            Set<String> grades = new HashSet<>();
            s.get("students").forEach(id -> grades.add(served.get(id.asText()).at("/roles/student/grade").asText()));
            return !grades.isEmpty() && !grades.contains(s.get("grade").asText());
        });
        check.put(Quirk.SECTION_NO_COURSE, s -> !s.has("course"));
        check.put(Quirk.SECTION_CO_TEACHERS, s -> s.get("teachers").size() > 1);
        check.put(Quirk.UNKNOWN_FIELDS, r -> r.has("lms_status") || r.has("ext"));
        check.put(Quirk.EXT_OBJECTS, r -> r.has("ext") || r.at("/roles").toString().contains("\"ext\""));
        for (Quirk q : Quirk.values()) {
            if (q == Quirk.TERM_DELETED_NOT_SHARED) continue;
            assertThat(check).as("a check for " + q).containsKey(q);
            for (String id : district.idsWith(q)) {
                JsonNode r = served.get(id);
                assertThat(r).as(q + " id " + id + " is served").isNotNull();
                assertThat(check.get(q).test(r)).as(q + " on " + r).isTrue();
            }
        }
        for (String term : district.idsWith(Quirk.TERM_DELETED_NOT_SHARED)) {
            assertThat(served).doesNotContainKey(term);
            assertThat(served.values().stream().filter(s -> s.path("term_id").asText().equals(term))).isNotEmpty();
        }
    }

    @Test
    void exhaustiveQuirksListEveryCarrier() {
        assertThat(ids(u -> roles(u).contains("student") && !u.at("/roles/student").has("dob")))
                .isEqualTo(Set.copyOf(district.idsWith(Quirk.STUDENT_MISSING_DOB)));
        assertThat(ids(u -> roles(u).contains("student") && sectionsOf(u.get("id").asText()).isEmpty()))
                .isEqualTo(Set.copyOf(district.idsWith(Quirk.STUDENT_NO_SECTIONS)));
        assertThat(ids(u -> roles(u).contains("teacher") && sectionsOf(u.get("id").asText()).isEmpty()))
                .isEqualTo(Set.copyOf(district.idsWith(Quirk.TEACHER_NO_SECTIONS)));
        assertThat(ids(u -> roles(u).size() > 1)).isEqualTo(Set.of(district.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF).get(0),
                district.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF_ADMIN).get(0)));
        assertThat(ids(s -> s.has("students") && !s.has("name"))).isEqualTo(Set.copyOf(district.idsWith(Quirk.SECTION_NO_NAME)));
    }

    @Test
    void recordEqualsServedJson() {
        String id = district.idsWith(Quirk.NAME_UTF8).get(1);
        assertThat(district.record(id)).hasValue((com.fasterxml.jackson.databind.node.ObjectNode) served.get(id));
        assertThat(district.record("ffffffffffffffffffffffff")).isEmpty();
        assertThat(served.get(id).at("/name/last").asText()).isEqualTo("O'Brien-Núñez");
    }

    @Test
    void datesFollowTheLiveApi() {
        for (JsonNode u : served.values()) {
            if (u.at("/roles/student").has("dob")) assertThat(u.at("/roles/student/dob").asText()).matches("\\d{1,2}/\\d{1,2}/\\d{4}");
            if (u.has("start_date")) assertThat(u.get("start_date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        }
    }

    @Test
    void sharesNoCoursesWhenAsked() throws Exception {
        SyntheticDistrict d = SyntheticDistrict.of(DistrictSpec.builder().sharesCourses(false).build());
        assertThat(d.counts().courses()).isZero();
        try (CleverSimulator s = CleverSimulator.builder().district(d).build().start()) {
            Api a = new Api(s);
            assertThat(a.json("/v3.0/courses").get("data")).isEmpty();
            assertThat(a.all("/v3.0/sections?limit=10000")).allSatisfy(sec -> assertThat(sec.has("course")).isFalse());
        }
    }

    @Test
    void specRejectsTooFewStudentsPerSchool() {
        assertThatThrownBy(() -> DistrictSpec.builder().students(50).schools(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("per school");
    }

    @Test
    void nextStateChangesWhatItSays() throws Exception {
        SyntheticDistrict next = district.next();
        Map<Change, List<String>> changes = next.changes();
        for (Change c : Change.values()) assertThat(changes.get(c)).as(c.name()).isNotEmpty();
        assertThat(district.changes().values()).allSatisfy(l -> assertThat(l).isEmpty());
        try (CleverSimulator s = CleverSimulator.builder().district(next).build().start()) {
            Api a = new Api(s);
            Map<String, JsonNode> now = new HashMap<>();
            for (String kind : List.of("schools", "terms", "courses", "sections", "users")) {
                List<JsonNode> all = a.all("/v3.0/" + kind + "?limit=10000");
                assertThat((long) all.size()).isEqualTo(next.counts().of(kind));
                all.forEach(r -> now.put(r.get("id").asText(), r));
            }
            for (String gone : changes.get(Change.USER_REMOVED)) {
                assertThat(now).doesNotContainKey(gone);
                assertThat(served).containsKey(gone);
                assertThat(a.get("/v3.0/users/" + gone).statusCode()).isEqualTo(404);
            }
            for (String created : changes.get(Change.USER_CREATED)) {
                assertThat(served).doesNotContainKey(created);
                assertThat(now).containsKey(created);
            }
            for (String renamed : changes.get(Change.USER_RENAMED)) {
                assertThat(now.get(renamed).at("/name/last")).isNotEqualTo(served.get(renamed).at("/name/last"));
            }
            for (String id : changes.get(Change.USER_GAINED_DOB)) {
                assertThat(served.get(id).at("/roles/student").has("dob")).isFalse();
                assertThat(now.get(id).at("/roles/student/dob").asText()).matches("\\d{1,2}/\\d{1,2}/\\d{4}");
            }
            String oldTerm = changes.get(Change.TERM_REMOVED).get(0);
            String newTerm = changes.get(Change.TERM_CREATED).get(0);
            assertThat(now).doesNotContainKey(oldTerm).containsKey(newTerm);
            assertThat(now.get(newTerm).get("name")).isEqualTo(served.get(oldTerm).get("name"));
            assertThat(now.values().stream().filter(x -> x.path("term_id").asText().equals(oldTerm))).isEmpty();
            assertThat(now.values().stream().filter(x -> x.path("term_id").asText().equals(newTerm))).isNotEmpty();
            String section = changes.get(Change.SECTION_RENAMED).get(0);
            assertThat(now.get(section).get("name")).isNotEqualTo(served.get(section).get("name"));
            // removed students leave their sections
            for (JsonNode sec : now.values()) {
                if (!sec.has("students")) continue;
                sec.get("students").forEach(st -> assertThat(now).containsKey(st.asText()));
            }
        }
    }

    private static long count(Predicate<JsonNode> p) {
        return served.values().stream().filter(p).count();
    }

    private static Set<String> ids(Predicate<JsonNode> p) {
        return served.values().stream().filter(r -> {
            try {
                return p.test(r);
            } catch (RuntimeException e) {
                return false;
            }
        }).map(r -> r.get("id").asText()).collect(Collectors.toSet());
    }

    private static Set<String> roles(JsonNode u) {
        Set<String> r = new HashSet<>();
        if (u.has("roles")) u.get("roles").fieldNames().forEachRemaining(r::add);
        return r;
    }

    private static List<String> nameParts(JsonNode u) {
        List<String> parts = new ArrayList<>();
        u.get("name").forEach(p -> parts.add(p.asText()));
        return parts;
    }

    private static List<JsonNode> sectionsOf(String userId) {
        return served.values().stream().filter(s -> s.has("students"))
                .filter(s -> s.get("students").toString().contains(userId) || s.get("teachers").toString().contains(userId))
                .toList();
    }
}
