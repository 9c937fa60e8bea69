package dev.homeroom.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.CustomGroup;
import dev.homeroom.engine.GroupMember;
import dev.homeroom.engine.ManualResources;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.TeacherSection;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The refusals of the custom-group and manual-resource pages over plain HTTP, as {@link AdminSecurityTest} does for the
 * other pages: a change without the CSRF token, by a user who may only look, or by another district's operator (on that
 * district's path: 403; on their own district's path naming this district's teacher, group or record: 404) is refused
 * and changes nothing. Two districts share one store; each test also makes the allowed change, so it can fail.
 */
class GroupAndManualSecurityTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static ConsoleFixture a;
    private static CleverSimulator otherClever;
    private static SyncEngine otherEngine;
    private static String districtB;
    private static String teacher;
    private static TeacherSection section;

    @BeforeAll
    static void twoDistrictsInOneStore() throws Exception {
        StoreConfig store = TestDatabases.fresh(Vendor.H2);
        SyntheticDistrict other = SyntheticDistrict.of(DistrictSpec.builder().students(120).seed(99).build());
        otherClever = CleverSimulator.builder().district(other).token("other-district-token").build().start();
        districtB = other.districtId();
        String districtA = SyntheticDistrict.of(DistrictSpec.builder().students(240).seed(7).build()).districtId();
        a = new ConsoleFixture(Vendor.H2, "", new TestAuthorizer(
                Map.of("ada", Set.of(districtA), "vic", Set.of(districtA), "bob", Set.of(districtB)),
                Map.of("ada", Set.of(districtA), "bob", Set.of(districtB))), store);
        a.engine.sync(SyncMode.FULL);
        otherEngine = SyncEngine.builder().cleverUrl(otherClever.baseUrl().toString()).token(otherClever.token()).store(store)
                .policiesFile(a.policies).discoverPlugins(false).build();
        otherEngine.sync(SyncMode.FULL);
        for (var t : a.engine.groups().teachers(a.districtId, null, null, 500)) {
            var s = a.engine.groups().sections(t.teacherId(), 500).stream().filter(x -> x.active() && x.students() >= 2).findFirst();
            if (t.active() && s.isPresent()) {
                teacher = t.teacherId();
                section = s.get();
                break;
            }
        }
        assertThat(teacher).as("a teacher of district A with a section").isNotNull();
    }

    @AfterAll
    static void close() throws Exception {
        a.close();
        otherEngine.close();
        otherClever.close();
    }

    private static HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(a.url(path)));
        if (user != null) {
            r.header("Cookie", TestAuthorizer.COOKIE + "=" + user);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String user, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(a.url(path))).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (user != null) {
            r.header("Cookie", TestAuthorizer.COOKIE + "=" + user);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrfOf(String user, String district) throws Exception {
        // the staged-sections page carries a form with the token for every user who may see the district
        String body = get("/districts/" + district + "/sections", user).body();
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(body);
        assertThat(m.find()).as("a form on the sections page of " + district + " for " + user).isTrue();
        return m.group(1);
    }

    private static Map<String, String> form(String csrf, String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (csrf != null) {
            out.put("csrf", csrf);
        }
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private static List<CustomGroup> groups() {
        return a.engine.groups().groupsOf(teacher);
    }

    @Test
    void creatingAGroupNeedsTheTokenTheRightToChangeAndTheDistrict() throws Exception {
        String path = "/districts/" + a.districtId + "/groups/copy";
        String adaToken = csrfOf("ada", a.districtId);
        String bobToken = csrfOf("bob", districtB);
        int before = groups().size();

        assertThat(post(path, "ada", form(null, "teacher", teacher, "section", section.sectionId(), "name", "x")).statusCode()).as("no token")
                .isEqualTo(403);
        assertThat(post(path, "ada", form(bobToken, "teacher", teacher, "section", section.sectionId(), "name", "x")).statusCode())
                .as("another user's token").isEqualTo(403);
        assertThat(post("/districts/" + a.districtId + "/groups/empty", "ada", form(null, "teacher", teacher, "name", "x")).statusCode())
                .as("an empty group without a token").isEqualTo(403);
        assertThat(post("/districts/" + a.districtId + "/groups/split", "ada", form(null, "teacher", teacher, "section", section.sectionId(),
                "count", "2", "name", "x")).statusCode()).as("a split without a token").isEqualTo(403);
        assertThat(post("/districts/" + a.districtId + "/groups/split", "bob", form(bobToken, "teacher", teacher, "section", section.sectionId(),
                "count", "2", "name", "x")).statusCode()).as("a split by B's operator").isEqualTo(403);
        var foreign = post(path, "bob", form(bobToken, "teacher", teacher, "section", section.sectionId(), "name", "x"));
        assertThat(foreign.statusCode()).as("another district's operator").isEqualTo(403);
        assertThat(foreign.body()).contains("HR-ADMIN-003");
        var viaOwn = post("/districts/" + districtB + "/groups/copy", "bob", form(bobToken, "teacher", teacher, "section", section.sectionId(), "name", "x"));
        assertThat(viaOwn.statusCode()).as("district A's teacher named on district B's path").isEqualTo(404);
        assertThat(viaOwn.body()).contains("HR-ADMIN-051");
        assertThat(post("/districts/" + districtB + "/groups/empty", "bob", form(bobToken, "teacher", teacher, "name", "x")).statusCode()).isEqualTo(404);
        assertThat(post("/districts/" + districtB + "/groups/split", "bob", form(bobToken, "teacher", teacher, "section", section.sectionId(),
                "count", "2", "name", "x")).statusCode()).isEqualTo(404);
        var viewer = post(path, "vic", form(csrfOf("vic", a.districtId), "teacher", teacher, "section", section.sectionId(), "name", "x"));
        assertThat(viewer.statusCode()).as("a user who may only look").isEqualTo(403);
        assertThat(viewer.body()).contains("HR-ADMIN-004");
        assertThat(get("/districts/" + a.districtId + "/groups?teacher=" + teacher, "bob").statusCode()).isEqualTo(403);
        assertThat(get("/districts/" + a.districtId + "/groups?teacher=" + teacher, "vic").body()).doesNotContain("id=\"copy-group\"");
        assertThat(groups()).hasSize(before);

        var done = post(path, "ada", form(adaToken, "teacher", teacher, "section", section.sectionId(), "name", "allowed"));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(groups()).hasSize(before + 1);
        assertThat(groups().get(groups().size() - 1).members()).isEqualTo(section.students());
    }

    @Test
    void aGroupIsChangedOnlyWithTheTokenByItsDistrictsOperator() throws Exception {
        CustomGroup g = a.engine.groups().copyFromSection(teacher, section.sectionId(), "Kept");
        List<String> members = a.engine.groups().group(g.id()).orElseThrow().members().stream().map(GroupMember::userId).toList();
        String adaToken = csrfOf("ada", a.districtId);
        String bobToken = csrfOf("bob", districtB);
        String inA = "/districts/" + a.districtId + "/groups/" + g.id();
        String inB = "/districts/" + districtB + "/groups/" + g.id();

        for (String action : List.of("/delete", "/rename", "/members")) {
            Map<String, String> fields = Map.of("name", "taken over", "action", "remove", "member", members.get(0));
            assertThat(post(inA + action, "ada", withCsrf(null, fields)).statusCode()).as(action + " without a token").isEqualTo(403);
            assertThat(post(inA + action, "bob", withCsrf(bobToken, fields)).statusCode()).as(action + " by B's operator").isEqualTo(403);
            assertThat(post(inB + action, "bob", withCsrf(bobToken, fields)).statusCode()).as(action + " of A's group on B's path").isEqualTo(404);
        }
        assertThat(get(inB, "bob").statusCode()).isEqualTo(404);
        assertThat(get(inA, "bob").statusCode()).isEqualTo(403);
        var kept = a.engine.groups().group(g.id()).orElseThrow();
        assertThat(kept.group().name()).isEqualTo("Kept");
        assertThat(kept.members()).extracting(GroupMember::userId).containsExactlyElementsOf(members);

        assertThat(post(inA + "/members", "ada", form(adaToken, "action", "remove", "member", members.get(0))).statusCode()).isEqualTo(303);
        assertThat(a.engine.groups().group(g.id()).orElseThrow().members()).extracting(GroupMember::userId).doesNotContain(members.get(0));
        assertThat(post(inA + "/delete", "ada", form(adaToken)).statusCode()).isEqualTo(303);
        assertThat(a.engine.groups().group(g.id())).isEmpty();
    }

    @Test
    void manualRecordsAreChangedOnlyWithTheTokenByTheirDistrictsOperator() throws Exception {
        ManualResources manual = a.engine.manual();
        var k = manual.createClass(a.districtId, new ManualResources.ClassValues("Kept class", null, null));
        var s = manual.createStudent(a.districtId, new ManualResources.StudentValues("Kept", "Student", null, null));
        int classes = manual.classes(a.districtId).size();
        String adaToken = csrfOf("ada", a.districtId);
        String bobToken = csrfOf("bob", districtB);
        String inA = "/districts/" + a.districtId + "/manual";
        String inB = "/districts/" + districtB + "/manual";

        assertThat(post(inA + "/classes", "ada", form(null, "name", "sneaked in")).statusCode()).as("no token").isEqualTo(403);
        assertThat(post(inA + "/classes", "bob", form(bobToken, "name", "sneaked in")).statusCode()).as("B's operator").isEqualTo(403);
        assertThat(post(inA + "/students", "bob", form(bobToken, "first", "x", "last", "y")).statusCode()).isEqualTo(403);
        assertThat(post(inA + "/students", "ada", form(null, "first", "x", "last", "y")).statusCode()).isEqualTo(403);
        assertThat(post(inA + "/classes/" + k.id(), "ada", form(null, "name", "taken over")).statusCode()).isEqualTo(403);
        assertThat(post(inA + "/students/" + s.id() + "/active", "ada", form(null, "active", "false")).statusCode()).isEqualTo(403);
        assertThat(post(inA + "/memberships", "ada", form(null, "action", "join", "class", k.id(), "student", s.id())).statusCode())
                .isEqualTo(403);
        assertThat(post(inA + "/classes", "vic", form(csrfOf("vic", a.districtId), "name", "sneaked in")).statusCode())
                .as("a user who may only look").isEqualTo(403);
        assertThat(post(inA + "/classes/" + k.id() + "/active", "ada", form(null, "active", "false")).statusCode()).isEqualTo(403);
        assertThat(post(inA + "/classes/" + k.id() + "/active", "bob", form(bobToken, "active", "false")).statusCode()).isEqualTo(403);
        assertThat(post(inB + "/classes/" + k.id() + "/active", "bob", form(bobToken, "active", "false")).statusCode()).isEqualTo(404);
        assertThat(post(inB + "/classes/" + k.id(), "bob", form(bobToken, "name", "taken over")).statusCode()).isEqualTo(404);
        assertThat(post(inB + "/students/" + s.id() + "/active", "bob", form(bobToken, "active", "false")).statusCode()).isEqualTo(404);
        assertThat(post(inB + "/students/" + s.id(), "bob", form(bobToken, "first", "taken", "last", "over")).statusCode()).isEqualTo(404);
        assertThat(post(inA + "/memberships", "bob", form(bobToken, "action", "join", "class", k.id(), "student", s.id())).statusCode())
                .isEqualTo(403);
        var joinViaB = post(inB + "/memberships", "bob", form(bobToken, "action", "join", "class", k.id(), "student", s.id()));
        assertThat(joinViaB.statusCode()).as("refused with a one-line message on B's page").isEqualTo(303);
        assertThat(get(inB + "/classes/" + k.id(), "bob").statusCode()).isEqualTo(404);
        assertThat(get(inA, "bob").statusCode()).isEqualTo(403);
        assertThat(manual.classes(a.districtId)).hasSize(classes);
        assertThat(manual.manualClass(a.districtId, k.id()).orElseThrow()).satisfies(x -> {
            assertThat(x.name()).isEqualTo("Kept class");
            assertThat(x.active()).isTrue();
        });
        assertThat(manual.manualStudent(a.districtId, s.id()).orElseThrow().firstName()).isEqualTo("Kept");
        assertThat(manual.memberships(a.districtId)).isEmpty();

        assertThat(post(inA + "/memberships", "ada", form(adaToken, "action", "join", "class", k.id(), "student", s.id())).statusCode()).isEqualTo(303);
        assertThat(manual.memberships(a.districtId)).hasSize(1);
        assertThat(post(inA + "/classes/" + k.id() + "/active", "ada", form(adaToken, "active", "false")).statusCode()).isEqualTo(303);
        assertThat(manual.manualClass(a.districtId, k.id()).orElseThrow().active()).isFalse();
    }

    private static Map<String, String> withCsrf(String csrf, Map<String, String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        if (csrf != null) {
            out.put("csrf", csrf);
        }
        out.putAll(fields);
        return out;
    }
}
