package dev.homeroom.host.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that logs at INFO sees the engine's libraries through its own logging and nothing else: no jOOQ banner or
 * tip of the day, and Flyway's lines through SLF4J. Run in a fresh JVM with no jOOQ system property set, as a host's is.
 */
class QuietLibrariesTest {
    @TempDir
    Path tmp;

    @Test
    void noJooqBannerAndFlywayLogsThroughSlf4j() throws Exception {
        Path logback = Files.writeString(tmp.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>HOSTLOG %-5level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Dlogback.configurationFile=" + logback, "-cp", ReadmeSnippetTest.classPath(),
                "dev.homeroom.host.HomeroomCli", "runs", "--db", "jdbc:h2:mem:quiet;DB_CLOSE_DELAY=-1"))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("HOSTLOG INFO  org.flywaydb.");
        assertThat(output).doesNotContain("Thank you for using jOOQ").doesNotContain("tip of the day").doesNotContain("@@@@@@@@");
    }
}
