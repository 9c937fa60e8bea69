package dev.homeroom.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.homeroom.engine.SectionFilter;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The console's refusals over plain HTTP: no authorizer, no user, a user who may only look, a missing or foreign CSRF
 * token, another district's operator; each refused with 401 or 403 and nothing changed. Two districts share one store.
 */
class AdminSecurityTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static ConsoleFixture a;
    private static CleverSimulator otherClever;
    private static SyncEngine otherEngine;
    private static String districtB;

    @BeforeAll
    static void twoDistrictsInOneStore() throws Exception {
        StoreConfig store = TestDatabases.fresh(Vendor.H2);
        SyntheticDistrict other = SyntheticDistrict.of(DistrictSpec.builder().students(120).seed(99).build());
        otherClever = CleverSimulator.builder().district(other).token("other-district-token").build().start();
        districtB = other.districtId();
        String districtA = SyntheticDistrict.of(DistrictSpec.builder().students(240).seed(7).build()).districtId();
        assertThat(districtB).isNotEqualTo(districtA);
        a = new ConsoleFixture(Vendor.H2, "sections.filter = STAGING\n", new TestAuthorizer(
                Map.of("ada", Set.of(districtA), "vic", Set.of(districtA), "bob", Set.of(districtB)),
                Map.of("ada", Set.of(districtA), "bob", Set.of(districtB))), store);
        a.engine.sync(SyncMode.FULL);
        otherEngine = SyncEngine.builder().cleverUrl(otherClever.baseUrl().toString()).token(otherClever.token()).store(store)
                .policiesFile(a.policies).discoverPlugins(false).build();
        otherEngine.sync(SyncMode.FULL);
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

    private static HttpResponse<String> post(String path, String user, Map<String, List<String>> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, vs) -> vs.forEach(v -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(a.url(path))).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (user != null) {
            r.header("Cookie", TestAuthorizer.COOKIE + "=" + user);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrfOf(String user, String page) throws Exception {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(get(page, user).body());
        assertThat(m.find()).as("a form on " + page).isTrue();
        return m.group(1);
    }

    private static String section() {
        return a.clever.district().idsWith(Quirk.SECTION_CO_TEACHERS).get(0);
    }

    private static List<String> selected() {
        return a.engine.sections(a.districtId, new SectionFilter(null, null, null, null, null, true), null, 500).stream()
                .map(s -> s.cleverId()).toList();
    }

    @Test
    void withoutAnAuthorizerEveryRequestIsRefused() throws Exception {
        try (AdminConsole bare = AdminConsole.builder(a.engine).build()) {
            bare.javalin().start("127.0.0.1", 0);
            String base = "http://127.0.0.1:" + bare.javalin().port();
            var page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/districts/" + a.districtId)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(401);
            assertThat(page.body()).contains("HR-ADMIN-001").doesNotContain(a.districtId + "/records");
            var change = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/districts/" + a.districtId + "/sections"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=select&section=" + section())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(change.statusCode()).isEqualTo(401);
            assertThat(selected()).doesNotContain(section());
        }
    }

    @Test
    void aRequestWithoutAUserIsRefused() throws Exception {
        assertThat(get("/", null).statusCode()).isEqualTo(401);
        assertThat(get("/", "mallory").statusCode()).as("a user the host does not know").isEqualTo(401);
        assertThat(post("/districts/" + a.districtId + "/sections", null, Map.of("section", List.of(section()))).statusCode()).isEqualTo(401);
        assertThat(selected()).doesNotContain(section());
    }

    @Test
    void aChangeNeedsTheUsersOwnCsrfTokenAndTheRightToChange() throws Exception {
        String path = "/districts/" + a.districtId + "/sections";
        String adaToken = csrfOf("ada", path);
        String vicToken = csrfOf("vic", path);
        assertThat(vicToken).isNotEqualTo(adaToken);

        assertThat(post(path, "ada", Map.of("action", List.of("select"), "section", List.of(section()))).statusCode()).as("no token").isEqualTo(403);
        assertThat(post(path, "ada", Map.of("csrf", List.of(vicToken), "action", List.of("select"), "section", List.of(section()))).statusCode())
                .as("another user's token").isEqualTo(403);
        var viewer = post(path, "vic", Map.of("csrf", List.of(vicToken), "action", List.of("select"), "section", List.of(section())));
        assertThat(viewer.statusCode()).as("a user who may only look").isEqualTo(403);
        assertThat(viewer.body()).contains("HR-ADMIN-004");
        assertThat(get(path, "vic").body()).doesNotContain("id=\"select\"");
        assertThat(get("/", "ada").statusCode()).isEqualTo(200);
        assertThat(selected()).doesNotContain(section());

        var done = post(path, "ada", Map.of("csrf", List.of(adaToken), "action", List.of("select"), "section", List.of(section())));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(selected()).contains(section());
        assertThat(post(path, "ada", Map.of("csrf", List.of(adaToken), "action", List.of("unselect"), "section", List.of(section()))).statusCode())
                .isEqualTo(303);
        assertThat(selected()).doesNotContain(section());
    }

    @Test
    void applyingTickedChangesNeedsTheTokenTheRightToChangeAndTheDistrict() throws Exception {
        String runA = a.engine.runs(a.districtId, 1, 0).get(0).runId();
        String status = a.engine.run(runA).orElseThrow().status();
        String path = "/runs/" + runA + "/approve-selected";
        String adaToken = csrfOf("ada", "/districts/" + a.districtId + "/sections");
        String vicToken = csrfOf("vic", "/districts/" + a.districtId + "/sections");
        String bobToken = csrfOf("bob", "/districts/" + districtB + "/sections");
        assertThat(post(path, null, Map.of("change", List.of("c-000000000000"))).statusCode()).isEqualTo(401);
        assertThat(post(path, "ada", Map.of("change", List.of("c-000000000000"))).statusCode()).as("no token").isEqualTo(403);
        assertThat(post(path, "vic", Map.of("csrf", List.of(vicToken), "change", List.of("c-000000000000"))).statusCode())
                .as("a user who may only look").isEqualTo(403);
        assertThat(post(path, "bob", Map.of("csrf", List.of(bobToken), "change", List.of("c-000000000000"))).statusCode())
                .as("another district's operator").isEqualTo(403);
        assertThat(get("/runs/" + runA + "/changes", "bob").statusCode()).isEqualTo(403);
        var notHalted = post(path, "ada", Map.of("csrf", List.of(adaToken), "change", List.of("c-000000000000")));
        assertThat(notHalted.statusCode()).as("refused by the engine with its one line, as a redirect").isEqualTo(303);
        assertThat(a.engine.run(runA).orElseThrow().status()).isEqualTo(status);
        assertThat(a.engine.approvals(runA)).as("nothing recorded").isEmpty();
    }

    @Test
    void oneDistrictsOperatorNeverSeesAnothersRecords() throws Exception {
        String student = a.clever.district().idsWith(Quirk.STUDENT_NO_SECTIONS).get(1);
        String runA = a.engine.runs(a.districtId, 1, 0).get(0).runId();

        String home = get("/", "bob").body();
        assertThat(home).contains(districtB).doesNotContain(a.districtId);
        assertThat(get("/districts/" + a.districtId, "bob").statusCode()).isEqualTo(403);
        assertThat(get("/districts/" + a.districtId + "/records/" + student, "bob").statusCode()).isEqualTo(403);
        assertThat(get("/districts/" + a.districtId + "/sections", "bob").statusCode()).isEqualTo(403);
        assertThat(get("/runs/" + runA, "bob").statusCode()).isEqualTo(403);
        // asked through the district bob may see, A's record is not there
        assertThat(get("/districts/" + districtB + "/records/" + student, "bob").statusCode()).isEqualTo(404);
        assertThat(get("/districts/" + districtB + "/records?q=" + student, "bob").body()).doesNotContain("/records/" + student + "\"");

        String section = section();
        String bobToken = csrfOf("bob", "/districts/" + districtB + "/sections");
        var edit = post("/districts/" + districtB + "/records/" + section + "/display-name", "bob",
                Map.of("csrf", List.of(bobToken), "value", List.of("taken over")));
        assertThat(edit.statusCode()).isEqualTo(404);
        var selectForeign = post("/districts/" + districtB + "/sections", "bob", Map.of("csrf", List.of(bobToken), "action", List.of("select"),
                "section", List.of(section)));
        assertThat(selectForeign.statusCode()).isEqualTo(303);
        assertThat(selected()).doesNotContain(section);
        assertThat(a.engine.explain(a.districtId, section).orElseThrow().provisioned()).isNull();

        // the console's engine syncs district A (its token's): bob's Sync now on B must not start a sync of A
        int runsOfA = a.engine.runs(a.districtId, 500, 0).size();
        var sync = post("/districts/" + districtB + "/sync", "bob", Map.of("csrf", List.of(bobToken), "mode", List.of("full")));
        assertThat(sync.statusCode()).isEqualTo(409);
        assertThat(sync.body()).contains("HR-ADMIN-012");
        assertThat(get("/districts/" + districtB, "bob").body()).doesNotContain("id=\"sync-now\"").contains("id=\"no-sync\"");
        Thread.sleep(500);
        assertThat(a.engine.runs(a.districtId, 500, 0)).hasSize(runsOfA);
        assertThat(a.engine.runs(districtB, 500, 0)).hasSize(1);
    }

    @Test
    void standaloneBindsLoopbackAndSignsInWithTheTokenOnce() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (AdminConsole.Standalone console = AdminConsole.builder(a.engine).standalone(0)) {
            var connector = (org.eclipse.jetty.server.ServerConnector) console.console().javalin().jettyServer().server().getConnectors()[0];
            assertThat(connector.getHost()).isEqualTo("127.0.0.1");
            String base = console.url();
            assertThat(base).doesNotContain(console.token());

            var page = HTTP.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(401);
            assertThat(page.body()).contains("name=\"token\"").doesNotContain(console.token());

            var wrong = HTTP.send(form(base + "login", "token=" + "x".repeat(43)), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

            var login = HTTP.send(form(base + "login", "token=" + console.token()), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location").orElseThrow()).isEqualTo("/");
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").doesNotContain(console.token());

            var signedIn = HTTP.send(HttpRequest.newBuilder(URI.create(base)).header("Cookie", cookie.split(";")[0]).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(200);
            assertThat(signedIn.body()).contains(a.districtId).contains(districtB);
            assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(console.token()));
        } finally {
            root.detachAppender(logs);
        }
    }

    private static HttpRequest form(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
