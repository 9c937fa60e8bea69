package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private static CleverSimulator start(Faults faults) {
        return CleverSimulator.builder().district(SyntheticDistrict.demo()).faults(faults).build().start();
    }

    @Test
    void tooManyRequestsHasEmptyBodyAndResetHeader() throws Exception {
        try (CleverSimulator sim = start(Faults.nth(1, Fault.TOO_MANY_REQUESTS))) {
            Api api = new Api(sim);
            HttpResponse<String> r = api.get("/v3.0/users");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).isEmpty();
            assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
            long reset = Long.parseLong(r.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            assertThat(reset).isGreaterThanOrEqualTo(System.currentTimeMillis() / 1000);
            assertThat(api.get("/v3.0/users").statusCode()).as("only the first request is faulted").isEqualTo(200);
            assertThat(sim.requestCount()).isEqualTo(2);
            assertThat(sim.faultsInjected()).isEqualTo(1);
        }
    }

    @Test
    void serverErrorsCarryJsonOrHtml() throws Exception {
        Faults plan = Faults.builder().nth(1, Fault.INTERNAL_SERVER_ERROR).nth(2, Fault.BAD_GATEWAY)
                .nth(3, Fault.SERVICE_UNAVAILABLE).nth(4, Fault.HTML_ERROR).build();
        try (CleverSimulator sim = start(plan)) {
            Api api = new Api(sim);
            int[] expected = {500, 502, 503};
            for (int status : expected) {
                HttpResponse<String> r = api.get("/v3.0/sections");
                assertThat(r.statusCode()).isEqualTo(status);
                assertThat(Api.JSON.readTree(r.body()).has("message")).isTrue();
            }
            HttpResponse<String> html = api.get("/v3.0/sections");
            assertThat(html.statusCode()).isEqualTo(502);
            assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThatThrownBy(() -> Api.JSON.readTree(html.body())).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void connectionResetBreaksTheClientRead() throws Exception {
        try (CleverSimulator sim = start(Faults.nth(1, Fault.CONNECTION_RESET))) {
            Api api = new Api(sim);
            assertThatThrownBy(() -> api.get("/v3.0/users")).isInstanceOf(IOException.class);
            assertThat(api.get("/v3.0/users").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void truncatedBodyBreaksTheClientRead() throws Exception {
        try (CleverSimulator sim = start(Faults.nth(1, Fault.TRUNCATED_BODY))) {
            Api api = new Api(sim);
            assertThatThrownBy(() -> api.get("/v3.0/users?limit=500")).isInstanceOf(IOException.class);
            assertThat(api.get("/v3.0/users?limit=500").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void incompleteJsonReadsButDoesNotParse() throws Exception {
        try (CleverSimulator sim = start(Faults.nth(1, Fault.INCOMPLETE_JSON))) {
            Api api = new Api(sim);
            HttpResponse<String> r = api.get("/v3.0/users?limit=50");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isNotEmpty();
            assertThatThrownBy(() -> Api.JSON.readTree(r.body())).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void slowAnswersNormallyAfterTheDelay() throws Exception {
        Faults plan = Faults.builder().nth(1, Fault.SLOW).slowDelay(Duration.ofMillis(200)).build();
        try (CleverSimulator sim = start(plan)) {
            HttpResponse<String> r = new Api(sim).get("/v3.0/schools");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Api.JSON.readTree(r.body()).get("data")).hasSize(3);
        }
    }

    @Test
    void randomFaultsAreDeterministicPerRequestNumberAndBounded() {
        Faults a = Faults.builder().random(0.3, 7, Fault.BAD_GATEWAY, Fault.TOO_MANY_REQUESTS).maxRandomFaults(20).build();
        Faults b = Faults.builder().random(0.3, 7, Fault.BAD_GATEWAY, Fault.TOO_MANY_REQUESTS).maxRandomFaults(20).build();
        List<Optional<Fault>> fa = new ArrayList<>();
        List<Optional<Fault>> fb = new ArrayList<>();
        for (long n = 1; n <= 200; n++) {
            fa.add(a.forRequest(n, "/v3.0/users"));
            fb.add(b.forRequest(n, "/v3.0/users"));
        }
        assertThat(fa).isEqualTo(fb);
        assertThat(fa.stream().filter(Optional::isPresent).count()).isEqualTo(20);
        Faults other = Faults.builder().random(0.3, 8, Fault.BAD_GATEWAY).build();
        List<Optional<Fault>> fo = new ArrayList<>();
        for (long n = 1; n <= 200; n++) fo.add(other.forRequest(n, "/v3.0/users"));
        assertThat(fo.stream().map(Optional::isPresent).toList()).isNotEqualTo(fa.stream().map(Optional::isPresent).toList());
    }

    @Test
    void pagingThroughRandomFaultsWithRetriesGetsEveryRecordOnce() throws Exception {
        // the faults a client gets over by asking again; the ones that serve wrong content (empty or unlinked pages,
        // poison records, redirects, drips) are each tested where the engine meets them
        Fault[] retriable = java.util.EnumSet.range(Fault.TOO_MANY_REQUESTS, Fault.SLOW).toArray(Fault[]::new);
        Faults plan = Faults.builder().random(0.25, 99, retriable).maxRandomFaults(30).slowDelay(Duration.ofMillis(10)).build();
        SyntheticDistrict d = SyntheticDistrict.demo();
        try (CleverSimulator sim = CleverSimulator.builder().district(d).faults(plan).build().start()) {
            Api api = new Api(sim);
            List<String> ids = new ArrayList<>();
            String next = "/v3.0/users?limit=40";
            int failures = 0;
            while (next != null) {
                try {
                    HttpResponse<String> r = api.get(next);
                    if (r.statusCode() != 200) {
                        failures++;
                        continue;
                    }
                    var page = Api.JSON.readTree(r.body());
                    page.get("data").forEach(i -> ids.add(i.get("data").get("id").asText()));
                    next = Api.link(page, "next");
                } catch (IOException e) {
                    failures++;
                }
            }
            assertThat(failures).isPositive();
            assertThat(ids).doesNotHaveDuplicates().hasSize((int) d.counts().users());
        }
    }

    @Test
    void contentFaultsServeEarlyEndingPagesPoisonAndRedirects() throws Exception {
        java.net.URI elsewhere = java.net.URI.create("http://127.0.0.1:9");
        Faults plan = Faults.builder().nth(1, Fault.EMPTY_PAGE_WITH_NEXT).nth(2, Fault.PAGE_WITHOUT_NEXT)
                .nth(3, Fault.POISON_RECORD).nth(4, Fault.REDIRECT).redirectTo(elsewhere).build();
        try (CleverSimulator sim = start(plan)) {
            Api api = new Api(sim);
            var normal = Api.JSON.readTree(new Api(start(Faults.none())).get("/v3.0/users?limit=5").body());

            var empty = Api.JSON.readTree(api.get("/v3.0/users?limit=5").body());
            assertThat(empty.get("data")).isEmpty();
            assertThat(Api.link(empty, "next")).isEqualTo(Api.link(normal, "next"));

            var unlinked = Api.JSON.readTree(api.get("/v3.0/users?limit=5").body());
            assertThat(unlinked.get("data")).hasSize(5);
            assertThat(Api.link(unlinked, "next")).isNull();

            HttpResponse<byte[]> poison = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(sim.baseUrl().resolve("/v3.0/users?limit=5"))
                            .header("Authorization", "Bearer " + sim.token()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(poison.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text).contains(Faults.POISON_RECORD_ID).contains("[".repeat(5_000)).contains("\u00C3(\u00FF");
            assertThat(text.split("\"uri\":\"/v3.0/users/", -1).length - 1).as("the five normal records follow it").isEqualTo(5);

            HttpResponse<String> redirect = api.get("/v3.0/users?limit=5");
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).hasValue("http://127.0.0.1:9/v3.0/users?limit=5");
            assertThat(sim.faultsInjected()).isEqualTo(4);
        }
    }

    @Test
    void aRedirectFaultNeedsATarget() {
        assertThatThrownBy(() -> Faults.nth(1, Fault.REDIRECT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redirectTo");
    }
}
