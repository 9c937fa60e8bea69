package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CleverSimulatorTest {

    static SyntheticDistrict district = SyntheticDistrict.demo();
    static CleverSimulator sim;
    static Api api;

    @BeforeAll
    static void start() {
        sim = CleverSimulator.builder().district(district).token("T0K3N").build().start();
        api = new Api(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"schools", "terms", "courses", "sections", "users"})
    void pagingReturnsEveryRecordOnceAndMatchesCounts(String kind) throws Exception {
        List<JsonNode> records = api.all("/v3.0/" + kind + "?limit=7");
        List<String> ids = records.stream().map(r -> r.get("id").asText()).toList();
        assertThat(ids).doesNotHaveDuplicates().isSorted();
        assertThat((long) ids.size()).isEqualTo(district.counts().of(kind));
        // default page size 100 walks to the same set
        assertThat(api.all("/v3.0/" + kind).stream().map(r -> r.get("id").asText()).toList()).isEqualTo(ids);
    }

    @ParameterizedTest
    @ValueSource(strings = {"student", "teacher", "staff", "district_admin", "contact"})
    void roleFilterMatchesCountsAndNextKeepsFilter(String role) throws Exception {
        List<JsonNode> users = api.all("/v3.0/users?limit=13&role=" + role);
        assertThat((long) users.size()).isEqualTo(district.counts().role(role));
        assertThat(users).allSatisfy(u -> assertThat(u.get("roles").has(role)).isTrue());
        JsonNode first = api.json("/v3.0/users?limit=13&role=" + role);
        String next = Api.link(first, "next");
        if (district.counts().role(role) > 13) {
            assertThat(next).startsWith("/v3.0/users?limit=13&role=" + role + "&starting_after=");
        } else {
            assertThat(next).isNull();
        }
    }

    @Test
    void districtsListAndSingle() throws Exception {
        JsonNode page = api.json("/v3.0/districts");
        assertThat(page.get("data")).hasSize(1);
        assertThat(page.get("data").get(0).get("uri").asText()).isEqualTo("/v3.0/districts/" + district.districtId());
        JsonNode single = api.json("/v3.0/districts/" + district.districtId());
        assertThat(single.get("data").get("id").asText()).isEqualTo(district.districtId());
        assertThat(Api.link(single, "self")).isEqualTo("/v3.0/districts/" + district.districtId());
    }

    @Test
    void envelopeLinksFollowClever() throws Exception {
        JsonNode first = api.json("/v3.0/users?limit=25");
        assertThat(first.get("data")).hasSize(25);
        JsonNode item = first.get("data").get(0);
        assertThat(item.get("uri").asText()).isEqualTo("/v3.0/users/" + item.get("data").get("id").asText());
        assertThat(Api.link(first, "self")).isEqualTo("/v3.0/users?limit=25");
        String lastId = first.get("data").get(24).get("data").get("id").asText();
        assertThat(Api.link(first, "next")).isEqualTo("/v3.0/users?limit=25&starting_after=" + lastId);
        assertThat(Api.link(first, "prev")).isNull();

        JsonNode second = api.json(Api.link(first, "next"));
        String firstOfSecond = second.get("data").get(0).get("data").get("id").asText();
        assertThat(Api.link(second, "prev")).isEqualTo("/v3.0/users?limit=25&ending_before=" + firstOfSecond);
        // ending_before gives the page before, ascending
        JsonNode back = api.json(Api.link(second, "prev"));
        assertThat(back.get("data")).hasSize(25);
        assertThat(back.get("data").get(24).get("data").get("id").asText()).isEqualTo(lastId);

        // last page: self and prev only
        List<JsonNode> users = api.all("/v3.0/users?limit=10000");
        String beforeLast = users.get(users.size() - 3).get("id").asText();
        JsonNode last = api.json("/v3.0/users?limit=25&starting_after=" + beforeLast);
        assertThat(last.get("data")).hasSize(2);
        assertThat(Api.link(last, "next")).isNull();
        assertThat(Api.link(last, "prev")).isNotNull();
        assertThat(last.get("links")).hasSize(2);
    }

    @Test
    void limitOverTenThousandIs413() throws Exception {
        assertThat(api.get("/v3.0/users?limit=10000").statusCode()).isEqualTo(200);
        HttpResponse<String> r = api.get("/v3.0/users?limit=10001");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Api.JSON.readTree(r.body()).get("message").asText()).contains("10000");
    }

    @Test
    void missingOrWrongTokenIs401WithJsonMessage() throws Exception {
        for (String token : new String[] {null, "wrong"}) {
            HttpResponse<String> r = api.getWithToken("/v3.0/users", token);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(Api.JSON.readTree(r.body()).has("message")).isTrue();
        }
    }

    @Test
    void unknownPathIs404Html() throws Exception {
        HttpResponse<String> r = api.get("/v3.0/resources");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.body()).contains("Cannot GET /v3.0/resources");
        assertThat(api.get("/v2.1/users").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownIdIs404Json() throws Exception {
        HttpResponse<String> r = api.get("/v3.0/users/000000000000000000000000");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Api.JSON.readTree(r.body()).has("message")).isTrue();
        String sectionId = district.idsWith(Quirk.SECTION_NO_NAME).get(0);
        assertThat(api.get("/v3.0/users/" + sectionId).statusCode()).as("a section id is not a user").isEqualTo(404);
    }

    @Test
    void rateLimitHeadersOnEveryResponse() throws Exception {
        for (String path : new String[] {"/v3.0/users", "/v3.0/nope", "/v3.0/users?limit=20000"}) {
            HttpResponse<String> r = api.get(path);
            assertThat(r.headers().firstValue("X-RateLimit-Limit")).hasValue("1200");
            assertThat(r.headers().firstValue("X-RateLimit-Bucket")).hasValue("bearer");
            assertThat(r.headers().firstValue("X-RateLimit-Remaining")).isPresent();
            long reset = Long.parseLong(r.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            long now = System.currentTimeMillis() / 1000;
            assertThat(reset).isBetween(now, now + 61);
        }
        HttpResponse<String> unauthorized = api.getWithToken("/v3.0/users", "x");
        assertThat(unauthorized.headers().firstValue("X-RateLimit-Limit")).hasValue("1200");
    }

    @Test
    void enforcedRateLimitAnswers429WithEmptyBody() throws Exception {
        try (CleverSimulator small = CleverSimulator.builder().district(district).rateLimit(3).enforceRateLimit(true).build().start()) {
            Api a = new Api(small);
            HttpResponse<String> r = null;
            for (int i = 0; i < 5; i++) r = a.get("/v3.0/schools");
            // unless the minute rolled over between the calls, the last is over budget
            if (r.statusCode() == 429) {
                assertThat(r.body()).isEmpty();
                assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
            } else {
                assertThat(a.get("/v3.0/schools").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void requestCountCountsEveryRequest() throws Exception {
        long before = sim.requestCount();
        api.get("/v3.0/schools");
        api.getWithToken("/v3.0/schools", "bad");
        api.get("/nope");
        assertThat(sim.requestCount() - before).isGreaterThanOrEqualTo(3);
    }

    @Test
    void subResourcesAgreeWithTheRecords() throws Exception {
        JsonNode section = api.all("/v3.0/sections?limit=10000").get(0);
        String sid = section.get("id").asText();
        Set<String> members = api.all("/v3.0/sections/" + sid + "/users?limit=5").stream()
                .map(u -> u.get("id").asText()).collect(Collectors.toSet());
        Set<String> expected = new HashSet<>();
        section.get("students").forEach(s -> expected.add(s.asText()));
        section.get("teachers").forEach(s -> expected.add(s.asText()));
        assertThat(members).isEqualTo(expected);
        assertThat(api.all("/v3.0/sections/" + sid + "/users?role=teacher")).hasSize(section.get("teachers").size());

        String student = section.get("students").get(0).asText();
        assertThat(api.all("/v3.0/users/" + student + "/sections").stream().map(s -> s.get("id").asText()))
                .contains(sid);
        assertThat(api.all("/v3.0/users/" + student + "/myteachers").stream().map(s -> s.get("id").asText()))
                .contains(section.get("teacher").asText());
        String teacher = section.get("teacher").asText();
        assertThat(api.all("/v3.0/users/" + teacher + "/mystudents").stream().map(s -> s.get("id").asText()))
                .contains(student);
        List<JsonNode> contacts = api.all("/v3.0/users/" + student + "/mycontacts");
        for (JsonNode c : contacts) {
            assertThat(c.get("roles").get("contact").get("student_relationships").findValuesAsText("student")).contains(student);
        }
        String course = section.get("course").asText();
        assertThat(api.all("/v3.0/courses/" + course + "/sections").stream().map(s -> s.get("id").asText())).contains(sid);

        String school = section.get("school").asText();
        List<JsonNode> schoolUsers = api.all("/v3.0/schools/" + school + "/users?limit=50");
        List<JsonNode> primary = api.all("/v3.0/schools/" + school + "/users?primary=true&role=student");
        assertThat(primary).allSatisfy(u -> assertThat(u.get("roles").get("student").get("school").asText()).isEqualTo(school));
        assertThat(schoolUsers.size()).isGreaterThan(primary.size());
        assertThat(api.all("/v3.0/users/" + student + "/schools")).extracting(s -> s.get("id").asText()).contains(school);
        JsonNode schoolPage = api.json("/v3.0/schools/" + school + "/users?limit=5&role=student");
        assertThat(Api.link(schoolPage, "next")).startsWith("/v3.0/schools/" + school + "/users?limit=5&role=student&starting_after=");
    }

    @Test
    void everyUserIsServedOnceEvenWithSeveralRoles() throws Exception {
        List<JsonNode> users = api.all("/v3.0/users?limit=10000");
        long multi = users.stream().filter(u -> u.get("roles").size() > 1).count();
        assertThat(multi).isEqualTo(2);
        assertThat((long) users.size()).isEqualTo(district.counts().users());
    }
}
