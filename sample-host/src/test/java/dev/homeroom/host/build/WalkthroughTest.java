package dev.homeroom.host.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute walkthrough runs as written in {@code sh}, start to end, with {@code -e}: every command
 * succeeds, including the last, which plans against a Clever the walkthrough starts itself. The commands run in a copy
 * of the repository's rules and scenarios; {@code java -jar sample-host/target/sample-host.jar} runs this build's
 * command line (a {@code java} on the PATH hands it to the real one with the test's class path, since the tests run
 * before the jar is packaged).
 */
class WalkthroughTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    @Test
    void theProductTeamsWalkthroughRunsInSh() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = Pattern.compile("## For product teams[^\\n]*\\n+```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README's product-team walkthrough").isTrue();
        String walkthrough = m.group(1);
        assertThat(walkthrough).doesNotContain("{").as("no bash brace expansion");
        assertThat(walkthrough).contains("simulate");

        Path work = Files.createDirectories(tmp.resolve("clone"));
        copy(ROOT.resolve("rules/src/main/resources/homeroom/rules"), work.resolve("rules/src/main/resources/homeroom/rules"));
        copy(ROOT.resolve("rules/src/test/scenarios"), work.resolve("rules/src/test/scenarios"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path java = Files.writeString(bin.resolve("java"), """
                #!/bin/sh
                if [ "$1" = "-jar" ] && [ "$2" = "sample-host/target/sample-host.jar" ]; then
                  shift 2
                  exec '%s' -cp '%s' dev.homeroom.host.HomeroomCli "$@"
                fi
                exec '%s' "$@"
                """.formatted(realJava, ReadmeSnippetTest.classPath(), realJava));
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Path script = Files.writeString(tmp.resolve("walkthrough.sh"), walkthrough);

        ProcessBuilder sh = new ProcessBuilder(List.of("sh", "-e", script.toString())).directory(work.toFile()).redirectErrorStream(true);
        sh.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = sh.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("rules OK", "1 passed, 0 failed", "\"status\":\"PLANNED\"");
        assertThat(Files.readString(work.resolve("my-rules/policies.properties")))
                .contains("classless.students = PROVISION_LIMITED");
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
