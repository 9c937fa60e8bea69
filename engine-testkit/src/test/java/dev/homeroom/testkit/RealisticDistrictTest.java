package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.testkit.internal.DistrictModel;
import dev.homeroom.testkit.internal.KeySource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DistrictSpec#realistic(int)} at 20,000 students: the shape of a large US district scaled down (issue 7's 1M
 * figures divided by 50), every reference resolving, the common quirks at a few percent, all served over HTTP.
 */
class RealisticDistrictTest {
    private static final int STUDENTS = 20_000;
    private static final SyntheticDistrict DISTRICT = SyntheticDistrict.of(DistrictSpec.realistic(STUDENTS));
    private static final DistrictModel MODEL = DISTRICT.model();
    private static CleverSimulator sim;
    private static Api api;

    @BeforeAll
    static void start() {
        sim = CleverSimulator.builder().district(DISTRICT).build().start();
        api = new Api(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void countsAreTheIssuesFiguresScaledDown() {
        DistrictCounts c = DISTRICT.counts();
        assertThat(c.schools()).isEqualTo(36);                       // 1,800 per 1M
        assertThat(c.role("student")).isEqualTo(STUDENTS);
        assertThat(c.role("teacher")).isEqualTo(36 * 39);             // 70 per 1,000 students
        assertThat(c.sections()).isEqualTo(36 * 132);                 // 240,000 per 1M
        assertThat(c.courses()).isEqualTo(400);                       // 20,000 per 1M
        assertThat(c.terms()).isEqualTo(4);
        assertThat(c.role("district_admin")).isEqualTo(2 + 1);        // 100 per 1M, and the teacher who is one too
        long multiRole = DISTRICT.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF).size() + 1;
        assertThat(c.role("staff")).isEqualTo(36 * 3 + multiRole);    // 5,000 per 1M, and the teachers who are staff too
        assertThat(c.users()).isEqualTo(2 + 36 * 3 + 36 * 39 + STUDENTS + STUDENTS / 2);
    }

    @Test
    void aMillionStudentsHaveTheIssuesShapeWithoutMaterialisingAnything() {
        DistrictSpec spec = DistrictSpec.realistic(1_000_000);
        DistrictCounts c = SyntheticDistrict.of(spec).counts();
        assertThat(c.schools()).isEqualTo(1_800);
        assertThat(c.role("teacher")).isEqualTo(70_200);
        assertThat(c.sections()).isEqualTo(237_600);
        assertThat(c.courses()).isEqualTo(20_000);
        assertThat(c.terms()).isEqualTo(4);
        assertThat(c.role("district_admin")).isEqualTo(101);
        assertThat(c.role("staff") - c.role("district_admin") + 1).isBetween(5_000L, 8_000L);
        assertThat(spec.sectionsPerStudent() * (double) spec.students() / c.sections()).isCloseTo(25.25, within(0.5));
    }

    @Test
    void everySectionsPeopleExistAndEveryEnrollmentIsSeenFromBothSides() {
        Map<Long, Set<Long>> byStudent = new HashMap<>();
        long enrollments = 0;
        long sections = DISTRICT.counts().sections();
        for (long s = 0; s < sections; s++) {
            long[] students = MODEL.sectionStudents(s);
            assertThat(students.length).as("section %d size", s).isBetween(20, 30);
            for (long i : students) {
                assertThat(MODEL.exists(KeySource.key(DistrictModel.STUDENT, i))).isTrue();
                byStudent.computeIfAbsent(i, x -> new HashSet<>()).add(s);
            }
            enrollments += students.length;
            for (long t : MODEL.sectionTeachers(s)) {
                assertThat(MODEL.exists(KeySource.key(DistrictModel.TEACHER, t))).isTrue();
                assertThat(MODEL.teacherSections(t)).contains(s);
            }
        }
        long classless = DISTRICT.idsWith(Quirk.STUDENT_NO_SECTIONS).size();
        long multiSchool = DISTRICT.idsWith(Quirk.USER_MULTI_SCHOOL).stream().filter(id -> isStudent(id)).count();
        assertThat(enrollments).isEqualTo(6 * (STUDENTS - classless) + multiSchool);
        assertThat((double) enrollments / STUDENTS).isCloseTo(6.0, within(0.2));
        for (long i = 0; i < STUDENTS; i++) {
            Set<Long> listed = new HashSet<>();
            for (long s : MODEL.studentSections(i)) listed.add(s);
            assertThat(listed).as("student %d", i).isEqualTo(byStudent.getOrDefault(i, Set.of()));
        }
        // teachers: each teacher with classes teaches 3 or 4 sections, and every section has a primary teacher
        long taught = 0;
        for (long t = 0; t < DISTRICT.counts().role("teacher"); t++) {
            int n = MODEL.teacherSections(t).length;
            if (MODEL.userSchools(DistrictModel.TEACHER, t).length == 1 && n > 0) assertThat(n).isBetween(3, 4);
            taught += n > 0 ? 1 : 0;
        }
        assertThat(taught).isEqualTo(36 * 38);
    }

    @Test
    void servedSectionsHoldAboutSixEnrollmentsPerStudentAndReferToServedUsers() {
        Set<String> users = new HashSet<>();
        for (JsonNode u : api.all("/v3.0/users?limit=10000")) users.add(u.get("id").asText());
        assertThat(users).hasSize((int) DISTRICT.counts().users());
        Set<String> terms = new HashSet<>();
        for (JsonNode t : api.all("/v3.0/terms?limit=10000")) terms.add(t.get("id").asText());
        assertThat(terms).hasSize(4);
        Set<String> courses = new HashSet<>();
        for (JsonNode c : api.all("/v3.0/courses?limit=10000")) courses.add(c.get("id").asText());
        assertThat(courses).hasSize(400);
        long enrollments = 0;
        Set<String> usedTerms = new HashSet<>();
        Set<String> usedCourses = new HashSet<>();
        List<JsonNode> sections = api.all("/v3.0/sections?limit=10000");
        assertThat(sections).hasSize((int) DISTRICT.counts().sections());
        Set<String> missing = new HashSet<>();
        for (JsonNode s : sections) {
            for (JsonNode st : s.get("students")) if (!users.contains(st.asText())) missing.add(st.asText());
            for (JsonNode t : s.get("teachers")) if (!users.contains(t.asText())) missing.add(t.asText());
            enrollments += s.get("students").size();
            usedTerms.add(s.get("term_id").asText());
            if (s.has("course")) usedCourses.add(s.get("course").asText());
        }
        assertThat(missing).as("section members not served as users").isEmpty();
        assertThat((double) enrollments / STUDENTS).isCloseTo(6.0, within(0.2));
        assertThat(terms).isSubsetOf(usedTerms);            // every served term has sections
        assertThat(usedTerms).hasSize(5);                   // and one more is referenced but not served
        assertThat(usedCourses).isEqualTo(courses);
    }

    @Test
    void commonQuirksSitOnAFewPercentAndAreExhaustive() {
        double students = STUDENTS;
        double teachers = DISTRICT.counts().role("teacher");
        assertThat(DISTRICT.idsWith(Quirk.STUDENT_NO_SECTIONS).size() / students).isBetween(0.02, 0.03);
        assertThat(DISTRICT.idsWith(Quirk.STUDENT_MISSING_DOB).size() / students).isBetween(0.02, 0.03);
        assertThat(DISTRICT.idsWith(Quirk.DUPLICATE_EMAIL).size() / students).isBetween(0.04, 0.06);
        assertThat(DISTRICT.idsWith(Quirk.DUPLICATE_SIS_ID).size() / students).isBetween(0.04, 0.06);
        assertThat(DISTRICT.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF).size() / teachers).isBetween(0.02, 0.03);
        assertThat(DISTRICT.idsWith(Quirk.TEACHER_NO_SECTIONS).size() / teachers).isBetween(0.02, 0.03);

        // scan every served student and teacher: the lists are exactly the carriers
        Set<String> noDob = new HashSet<>();
        Set<String> classless = new HashSet<>();
        Map<String, List<String>> byEmail = new HashMap<>();
        Map<String, List<String>> bySis = new HashMap<>();
        for (long key : MODEL.usersWithRole("student").after(Long.MIN_VALUE, Integer.MAX_VALUE)) {
            ObjectNode u = MODEL.render(key);
            String id = u.get("id").asText();
            JsonNode st = u.at("/roles/student");
            if (!st.has("dob")) noDob.add(id);
            if (MODEL.studentSections(DistrictModel.indexOf(key)).length == 0) classless.add(id);
            byEmail.computeIfAbsent(u.get("email").asText(), x -> new java.util.ArrayList<>()).add(id);
            bySis.computeIfAbsent(st.get("sis_id").asText(), x -> new java.util.ArrayList<>()).add(id);
        }
        assertThat(noDob).containsExactlyInAnyOrderElementsOf(DISTRICT.idsWith(Quirk.STUDENT_MISSING_DOB));
        assertThat(classless).containsExactlyInAnyOrderElementsOf(DISTRICT.idsWith(Quirk.STUDENT_NO_SECTIONS));
        assertThat(shared(byEmail)).containsExactlyInAnyOrderElementsOf(DISTRICT.idsWith(Quirk.DUPLICATE_EMAIL));
        assertThat(shared(bySis)).containsExactlyInAnyOrderElementsOf(DISTRICT.idsWith(Quirk.DUPLICATE_SIS_ID));
        Set<String> teacherStaff = new HashSet<>();
        for (long key : MODEL.usersWithRole("staff").after(Long.MIN_VALUE, Integer.MAX_VALUE)) {
            ObjectNode u = MODEL.render(key);
            if (u.at("/roles").has("teacher") && !u.at("/roles").has("district_admin")) teacherStaff.add(u.get("id").asText());
        }
        assertThat(teacherStaff).containsExactlyInAnyOrderElementsOf(DISTRICT.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF));
        Set<String> admins = new HashSet<>();
        for (JsonNode u : api.all("/v3.0/users?role=district_admin&limit=10000")) admins.add(u.get("id").asText());
        assertThat(admins).containsExactlyInAnyOrderElementsOf(DISTRICT.idsWith(Quirk.DISTRICT_ADMIN));
    }

    @Test
    void staffOfASchoolListsItsTeachersWhoAreStaffToo() throws Exception {
        String teacher = DISTRICT.idsWith(Quirk.MULTI_ROLE_TEACHER_STAFF).get(5);
        JsonNode record = DISTRICT.record(teacher).orElseThrow();
        String school = record.at("/roles/teacher/school").asText();
        assertThat(record.at("/roles/staff/schools").get(0).asText()).isEqualTo(school);
        Set<String> staff = new HashSet<>();
        for (JsonNode u : api.all("/v3.0/schools/" + school + "/users?role=staff&limit=10000")) staff.add(u.get("id").asText());
        assertThat(staff).contains(teacher);
    }

    @Test
    void sameSeedSameDistrictOtherSeedOther() {
        SyntheticDistrict again = SyntheticDistrict.of(DistrictSpec.realistic(STUDENTS));
        SyntheticDistrict other = SyntheticDistrict.of(DistrictSpec.realistic(STUDENTS).toBuilder().seed(7).build());
        for (String id : List.of(MODEL.id(DistrictModel.STUDENT, 12_345), MODEL.id(DistrictModel.SECTION, 4_000), MODEL.id(DistrictModel.TEACHER, 41))) {
            assertThat(again.record(id)).isEqualTo(DISTRICT.record(id));
        }
        assertThat(DISTRICT.quirks()).isEqualTo(again.quirks());
        ObjectNode a = DISTRICT.record(MODEL.id(DistrictModel.STUDENT, 12_345)).orElseThrow();
        ObjectNode b = other.record(other.model().id(DistrictModel.STUDENT, 12_345)).orElseThrow();
        assertThat(b.get("name")).isNotEqualTo(a.get("name"));
    }

    @Test
    void revisionsAndEventsWork() throws Exception {
        SyntheticDistrict next = DISTRICT.next();
        assertThat(next.changes().get(Change.USER_REMOVED)).hasSize(36 + 1); // a student per school, and a staff member
        assertThat(next.eventCount()).isGreaterThan(36 * 3);
        String removed = next.changes().get(Change.USER_REMOVED).get(0);
        assertThat(next.record(removed)).isEmpty();
        assertThat(next.events().stream().filter(e -> e.get("type").asText().equals("users.deleted"))
                .map(e -> e.at("/data/object/id").asText())).contains(removed);
        // the quirks of the next state still hold where they say
        for (String id : next.idsWith(Quirk.DUPLICATE_EMAIL)) assertThat(next.record(id)).isPresent();
        assertThat(next.counts().terms()).isEqualTo(4);
    }

    @Test
    void aSpecWhoseSectionsDoNotSplitIntoPeriodsIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DistrictSpec.builder().students(400).schools(2).teachersPerSchool(4)
                        .sectionsPerStudent(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a multiple of sectionsPerStudent (3)");
        assertThat(DistrictSpec.builder().students(400).schools(2).teachersPerSchool(3).sectionsPerStudent(3).build().sectionsPerSchool())
                .isEqualTo(12);
    }

    private static boolean isStudent(String id) {
        return DistrictModel.kindOf(MODEL.keyOf(id)) == DistrictModel.STUDENT;
    }

    private static Set<String> shared(Map<String, List<String>> byValue) {
        Set<String> out = new HashSet<>();
        byValue.values().stream().filter(ids -> ids.size() > 1).forEach(out::addAll);
        return out;
    }
}
