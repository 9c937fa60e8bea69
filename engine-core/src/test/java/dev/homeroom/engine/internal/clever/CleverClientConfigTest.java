package dev.homeroom.engine.internal.clever;

import static dev.homeroom.engine.internal.clever.CleverFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CleverClientConfigTest {

    @Test
    void defaultsPointAtCleverWithTheLargestPage() {
        CleverClientConfig config = CleverClientConfig.builder().token(TOKEN).build();

        assertThat(config.baseUrl().toString()).isEqualTo("https://api.clever.com/");
        assertThat(config.pageLimit()).isEqualTo(10_000);
        assertThat(config.droppedStudentFields()).containsExactlyInAnyOrder("iep_status", "ell_status", "frl_status",
                "gifted_status", "section_504_status", "disability", "home_language", "home_language_code");
    }

    @Test
    void theTokenIsMaskedInToString() {
        CleverClientConfig config = CleverClientConfig.builder().token(TOKEN).build();

        assertThat(config.toString()).doesNotContain(TOKEN).contains("token=****");
        try (CleverClient client = new CleverClient(config)) {
            assertThat(client.toString()).doesNotContain(TOKEN);
        }
    }

    @Test
    void plainHttpIsRefusedForARemoteHost() {
        assertThatThrownBy(() -> CleverClientConfig.builder().baseUrl("http://api.clever.com").token(TOKEN).build())
                .isInstanceOfSatisfying(CleverApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("HR-CLEVER-CONFIG");
                    assertThat(e.getMessage()).contains("use https").doesNotContain("\n").doesNotContain(TOKEN);
                });
        assertThatThrownBy(() -> CleverClientConfig.builder().baseUrl("http://10.0.0.7:8080").token(TOKEN).build())
                .isInstanceOf(CleverApiException.class);
        // A name that merely starts like a loopback address is not one.
        assertThatThrownBy(() -> CleverClientConfig.builder().baseUrl("http://127.0.0.1.evil.example").token(TOKEN).build())
                .isInstanceOf(CleverApiException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.3.2.1", "http://localhost:9000", "http://[::1]:8080"})
    void plainHttpIsAllowedOnLoopback(String url) {
        assertThat(CleverClientConfig.builder().baseUrl(url).token(TOKEN).build().baseUrl().scheme()).isEqualTo("http");
    }

    @Test
    void badValuesFailWithOneLineSayingWhatToChange() {
        assertThatThrownBy(() -> CleverClientConfig.builder().token(TOKEN).pageLimit(10_001).build())
                .hasMessageContaining("use 1 to 10000");
        assertThatThrownBy(() -> CleverClientConfig.builder().build()).hasMessageContaining("token is missing");
        assertThatThrownBy(() -> CleverClientConfig.builder().baseUrl("ftp://x").token(TOKEN).build())
                .hasMessageContaining("not an http(s) URL");
    }
}
