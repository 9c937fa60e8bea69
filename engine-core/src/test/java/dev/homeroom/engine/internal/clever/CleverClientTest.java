package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.TOKEN;
import static dev.homeroom.engine.internal.clever.CleverFixtures.config;
import static dev.homeroom.engine.internal.clever.CleverFixtures.json;
import static dev.homeroom.engine.internal.clever.CleverFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.internal.clever.CleverFixtures.Collector;
import dev.homeroom.engine.internal.clever.CleverFixtures.RecordingSleeper;
import dev.homeroom.spi.Course;
import dev.homeroom.spi.District;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.School;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.User;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CleverClientTest {
    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private CleverClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = new CleverClient(config(server, sleeper).build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void fetchDistrictReturnsTheTokensDistrictWithBearerAuth() throws Exception {
        server.enqueue(json(resource("district.json")));

        District district = client.fetchDistrict();

        assertThat(district.id()).isEqualTo("5327a245c79f90670e001b78");
        assertThat(district.name()).isEqualTo("Demo District");
        assertThat(district.loginMethods()).containsExactly("Clever Badges", "Google");
        assertThat(district.pauseEnd()).isEqualTo("2023-08-01");
        assertThat(district.districtContact().name().last()).isEqualTo("Admin");
        RecordedRequest request = server.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v3.0/districts");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void usersFollowNextLinksVerbatimAndSendTheLimit() throws Exception {
        server.enqueue(json(resource("users-page1.json")));
        server.enqueue(json(resource("users-page2.json")));
        Collector sink = new Collector();

        FetchStats stats = client.fetchAll(RecordKind.USER, sink);

        assertThat(sink.ids()).containsExactly("58da8c63d7dc0ca068000401", "58da8c63d7dc0ca068000402",
                "58da8c63d7dc0ca068000403");
        assertThat(sink.pages).hasSize(2);
        assertThat(sink.problems).isEmpty();
        assertThat(stats.pages()).isEqualTo(2);
        assertThat(stats.records()).isEqualTo(3);
        assertThat(stats.requests()).isEqualTo(2);
        assertThat(stats.bytes()).isGreaterThan(1000);
        RecordedRequest first = server.takeRequest();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/v3.0/users");
        assertThat(first.getUrl().queryParameter("limit")).isEqualTo("10000");
        RecordedRequest second = server.takeRequest();
        assertThat(second.getTarget()).isEqualTo("/v3.0/users?limit=2&starting_after=58da8c63d7dc0ca068000402");
    }

    @Test
    void userFieldsBindAndUnknownFieldsAreTolerated() {
        server.enqueue(json(resource("users-page1.json")));
        server.enqueue(json(resource("users-page2.json")));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        User ana = (User) sink.records.get(0).record();
        assertThat(ana.name().first()).isEqualTo("Ana");
        User.Student student = ana.roles().student();
        assertThat(student.dob()).isEqualTo("2/11/2007");
        assertThat(student.dobDate()).contains(LocalDate.of(2007, 2, 11));
        assertThat(student.location().lat()).isEqualTo("34.1");
        assertThat(student.enrollments()).singleElement().satisfies(e -> assertThat(e.school()).isEqualTo("s1"));
        assertThat(student.ext()).containsEntry("house", "Blue");
        assertThat(student.preferredName()).contains("Annie");

        User tom = (User) sink.records.get(1).record();
        assertThat(tom.roles().names()).containsExactly("district_admin", "staff", "teacher");
        assertThat(tom.roles().teacher().schools()).containsExactly("s1", "s2");
        assertThat(tom.roles().teacher().ext()).containsEntry("admin_permissions", "none");
        assertThat(tom.roles().staff().roles()).containsExactly("Counselor");
        assertThat(tom.roles().districtAdmin().title()).isEqualTo("Chief");

        User carla = (User) sink.records.get(2).record();
        assertThat(carla.name().last()).isEqualTo("Mrs. Carla Contact");
        assertThat(carla.roles().contact().studentRelationships())
                .singleElement().satisfies(r -> assertThat(r.relationship()).isEqualTo("Parent"));
    }

    @Test
    void sensitiveStudentFieldsAreDroppedFromRecordAndJson() {
        server.enqueue(json(resource("users-page1.json")));
        server.enqueue(json(resource("users-page2.json")));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        FetchedRecord ana = sink.records.get(0);
        User.Student student = ((User) ana.record()).roles().student();
        assertThat(student.iepStatus()).isNull();
        assertThat(student.ellStatus()).isNull();
        assertThat(student.frlStatus()).isNull();
        assertThat(student.giftedStatus()).isNull();
        assertThat(student.section504Status()).isNull();
        assertThat(student.disability()).isNull();
        assertThat(student.homeLanguage()).isNull();
        assertThat(student.homeLanguageCode()).isNull();
        assertThat(student.ext()).doesNotContainKey("gifted_status");
        for (String field : CleverClientConfig.DEFAULT_DROPPED_STUDENT_FIELDS) {
            assertThat(ana.json()).doesNotContain("\"" + field + "\"");
        }
        // The JSON still carries everything else, unknown keys included, compact.
        assertThat(ana.json()).contains("\"dob\":\"2/11/2007\"", "\"some_future_field\":[1,2]", "\"house\":\"Blue\"")
                .doesNotContain("\n", ": ");
    }

    @Test
    void enabledSensitiveFieldsAreKeptIncludingSection504() throws Exception {
        client.close();
        client = new CleverClient(config(server, sleeper)
                .keepStudentFields(Set.of("section_504_status", "iep_status", "disability")).build());
        server.enqueue(json(resource("users-page1.json")));
        server.enqueue(json(resource("users-page2.json")));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.USER, sink);

        FetchedRecord ana = sink.records.get(0);
        User.Student student = ((User) ana.record()).roles().student();
        assertThat(student.section504Status()).isEqualTo("N");
        assertThat(student.iepStatus()).isEqualTo("Y");
        assertThat(student.disability()).contains("disability_status");
        assertThat(student.frlStatus()).isNull();
        assertThat(ana.json()).contains("\"section_504_status\":\"N\"").doesNotContain("frl_status");
    }

    @Test
    void jsonIsTheSameWhateverOrderClevercSentTheFieldsIn() {
        server.enqueue(json("{\"data\":[{\"data\":{\"id\":\"c1\",\"name\":\"A\",\"district\":\"d1\"}}],\"links\":[]}"));
        server.enqueue(json("{\"data\":[{\"data\":{\"district\":\"d1\",\"name\":\"A\",\"id\":\"c1\"}}],\"links\":[]}"));
        Collector first = new Collector();
        Collector second = new Collector();

        client.fetchAll(RecordKind.COURSE, first);
        client.fetchAll(RecordKind.COURSE, second);

        assertThat(first.records.get(0).json()).isEqualTo(second.records.get(0).json())
                .isEqualTo("{\"district\":\"d1\",\"id\":\"c1\",\"name\":\"A\"}");
    }

    @Test
    void termDatesParseAndBadTermsBecomeProblemsWhileTheRestAreDelivered() {
        server.enqueue(json(resource("terms.json")));
        Collector sink = new Collector();

        FetchStats stats = client.fetchAll(RecordKind.TERM, sink);

        assertThat(sink.ids()).containsExactly("t1", "t3");
        Term fall = (Term) sink.records.get(0).record();
        assertThat(fall.startDate()).isEqualTo(LocalDate.of(2023, 8, 15));
        assertThat(fall.endDate()).isEqualTo(LocalDate.of(2023, 12, 20));
        Term spec = (Term) sink.records.get(1).record();
        assertThat(spec.startDate()).isEqualTo(LocalDate.of(2024, 1, 8));
        assertThat(spec.endDate()).isNull();
        assertThat(sink.problems).hasSize(3);
        assertThat(sink.problems.get(0).cleverId()).isEqualTo("t2");
        assertThat(sink.problems.get(0).reason()).contains("start_date");
        assertThat(sink.problems.get(1).cleverId()).isNull();
        assertThat(sink.problems.get(1).reason()).isEqualTo("data[3]: missing id");
        assertThat(sink.problems.get(2).cleverId()).isEqualTo("t1");
        assertThat(sink.problems.get(2).reason()).contains("duplicate");
        assertThat(stats.records()).isEqualTo(2);
        assertThat(stats.problems()).isEqualTo(3);
    }

    @Test
    void sectionsBindAndStudentsGivenAsAStringIsAProblem() {
        server.enqueue(json(resource("sections.json")));
        Collector sink = new Collector();

        client.fetchAll(RecordKind.SECTION, sink);

        assertThat(sink.ids()).containsExactly("sec1", "sec3");
        Section algebra = (Section) sink.records.get(0).record();
        assertThat(algebra.students()).containsExactly("u1", "u2");
        assertThat(algebra.allTeachers()).containsExactly("u9", "u8");
        assertThat(algebra.termId()).isEqualTo("t1");
        assertThat(algebra.ext()).containsEntry("classroom", "A1");
        Section empty = (Section) sink.records.get(1).record();
        assertThat(empty.subject()).isEqualTo("a brand new subject");
        assertThat(empty.students()).isEmpty();
        assertThat(sink.problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(RecordKind.SECTION);
            assertThat(p.cleverId()).isEqualTo("sec2");
            assertThat(p.reason()).startsWith("students");
        });
    }

    @Test
    void schoolsAndCoursesBind() {
        server.enqueue(json(resource("schools.json")));
        server.enqueue(json(resource("courses.json")));
        Collector schools = new Collector();
        Collector courses = new Collector();

        client.fetchAll(RecordKind.SCHOOL, schools);
        client.fetchAll(RecordKind.COURSE, courses);

        School north = (School) schools.records.get(0).record();
        assertThat(north.principal().email()).isEqualTo("pat@demo.example");
        assertThat(north.location().city()).isEqualTo("Town");
        assertThat(north.lowGrade()).isEqualTo("9");
        assertThat(north.ext()).containsEntry("charter_school", "N").containsEntry("nested", Map.of("a", 1));
        assertThat(courses.records).extracting(r -> ((Course) r.record()).number()).containsExactly("MA101", null);
    }

    @Test
    void subResourcesAndRoleFiltersUseTheSpecPaths() throws Exception {
        for (int i = 0; i < 7; i++) {
            server.enqueue(json("{\"data\":[],\"links\":[]}"));
        }
        Collector sink = new Collector();

        client.fetchSchoolUsers("s1", true, null, sink);
        client.fetchStudentsOf("u1", sink);
        client.fetchTeachersOf("u1", sink);
        client.fetchContactsOf("u1", sink);
        client.fetchCourseSections("c1", sink);
        client.fetchSectionUsers("sec1", "student", sink);
        client.fetchUsers("district_admin", sink);

        assertThat(server.takeRequest().getTarget()).isEqualTo("/v3.0/schools/s1/users?limit=10000&primary=true");
        assertThat(server.takeRequest().getTarget()).isEqualTo("/v3.0/users/u1/mystudents?limit=10000");
        assertThat(server.takeRequest().getTarget()).isEqualTo("/v3.0/users/u1/myteachers?limit=10000");
        assertThat(server.takeRequest().getTarget()).isEqualTo("/v3.0/users/u1/mycontacts?limit=10000");
        assertThat(server.takeRequest().getTarget()).isEqualTo("/v3.0/courses/c1/sections?limit=10000");
        assertThat(server.takeRequest().getTarget()).isEqualTo("/v3.0/sections/sec1/users?limit=10000&role=student");
        assertThat(server.takeRequest().getTarget()).isEqualTo("/v3.0/users?limit=10000&role=district_admin");
        assertThat(sink.pages).hasSize(7).allSatisfy(page -> assertThat(page).isEmpty());
    }

    @Test
    void filtersDroppedFromANextLinkAreCarriedOver() throws Exception {
        server.enqueue(json(CleverFixtures.usersPage(0, 2, "/v3.0/users?starting_after=" + CleverFixtures.userId(1))));
        server.enqueue(json(CleverFixtures.usersPage(2, 1, null)));
        Collector sink = new Collector();

        client.fetchUsers("student", sink);

        server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(second.getUrl().queryParameter("role")).isEqualTo("student");
        assertThat(second.getUrl().queryParameter("limit")).isEqualTo("10000");
        assertThat(second.getUrl().queryParameter("starting_after")).isEqualTo(CleverFixtures.userId(1));
        assertThat(sink.records).hasSize(3);
    }

    @Test
    void aPageLimitBelowTheMaximumIsSent() throws Exception {
        client.close();
        client = new CleverClient(config(server, sleeper).pageLimit(250).build());
        server.enqueue(json(resource("courses.json")));

        client.fetchAll(RecordKind.COURSE, new Collector());

        assertThat(server.takeRequest().getTarget()).isEqualTo("/v3.0/courses?limit=250");
    }

    @Test
    void theNextPageIsFetchedWhileThePageBeforeItIsDelivered() throws Exception {
        server.enqueue(json(resource("users-page1.json")));
        server.enqueue(json(resource("users-page2.json")));
        boolean[] secondAskedDuringFirst = {false};
        int[] delivered = {0};

        client.fetchAll(RecordKind.USER, (kind, records, problems) -> {
            if (delivered[0]++ == 0) {
                try {
                    // the store is busy with page 1: page 2 is on its way already (waits for it, never for a fixed time)
                    server.takeRequest(); // page 1
                    secondAskedDuringFirst[0] = server.takeRequest(30, java.util.concurrent.TimeUnit.SECONDS) != null;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        assertThat(secondAskedDuringFirst[0]).as("page 2 requested while page 1 was being delivered").isTrue();
        assertThat(delivered[0]).isEqualTo(2);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aDeliveryThatFailsStopsTheFetchAndItsErrorReachesTheCaller() {
        server.enqueue(json(resource("users-page1.json")));
        server.enqueue(json(resource("users-page2.json")));
        int[] delivered = {0};

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.fetchAll(RecordKind.USER, (kind, records, problems) -> {
            delivered[0]++;
            throw new IllegalStateException("the store refused page 1");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the store refused page 1");

        assertThat(delivered[0]).as("nothing delivered after the failure").isEqualTo(1);
        assertThat(server.getRequestCount()).as("at most the page read ahead").isLessThanOrEqualTo(2);
    }

    /** Issue 7: what a sink prepares is done on the thread that read the page, and the prepared records are delivered. */
    @Test
    void eachRecordIsPreparedWhereItsPageWasReadAndDeliveredAsPrepared() {
        server.enqueue(json(resource("users-page1.json")));
        server.enqueue(json(resource("users-page2.json")));
        java.util.List<String> preparedOn = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<FetchedRecord> delivered = new java.util.ArrayList<>();
        client.fetchAll(RecordKind.USER, new PageSink() {
            @Override
            public void page(RecordKind kind, java.util.List<FetchedRecord> records, java.util.List<RecordProblem> problems) {
                delivered.addAll(records);
            }

            @Override
            public FetchedRecord prepare(RecordKind kind, FetchedRecord record) {
                preparedOn.add(Thread.currentThread().getName());
                return record.withPackedJson(record.json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });

        assertThat(delivered).isNotEmpty().allSatisfy(r -> assertThat(r.packedJson()).asString(java.nio.charset.StandardCharsets.UTF_8)
                .isEqualTo(r.json()));
        assertThat(preparedOn).hasSize(delivered.size()).as("page 2 was read ahead, and prepared there").contains("homeroom-clever-page-ahead");
    }
}
