package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class RedactingLogInterceptorTest {

    @Test
    void theAuthorizationHeaderNeverReachesTheLog() {
        Headers headers = Headers.of("Authorization", "Bearer " + TOKEN, "Accept", "application/json");

        String logged = RedactingLogInterceptor.redact(headers);

        assertThat(logged).doesNotContain(TOKEN).contains("Authorization: ██").contains("Accept: application/json");
    }

    @Test
    void theLoggedPathKeepsTheQueryButNotTheHost() {
        Request request = new Request.Builder()
                .url(HttpUrl.get("https://api.clever.com/v3.0/users?limit=10000&starting_after=abc")).build();

        assertThat(RedactingLogInterceptor.pathOf(request)).isEqualTo("/v3.0/users?limit=10000&starting_after=abc");
    }
}
