package dev.homeroom.host.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.host.HomeroomCli;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 item 12 (empty rules directory, unwritable H2 path, locked H2 file): each bad configuration ends the command
 * with one line on stderr that says what to change, the usage exit code, and no stack trace from any library's log.
 */
class BadConfigurationCliTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err, String console) {}

    /** Runs the CLI, capturing its writers and whatever the process prints to System.out/err (logback writes there). */
    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        int exit;
        System.setOut(capture);
        System.setErr(capture);
        try {
            exit = HomeroomCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(exit, out.toString(), err.toString(), console.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLineWithoutStackTrace(Result r, String code, String... says) {
        assertThat(r.exit()).as("exit; stderr: %s", r.err()).isEqualTo(HomeroomCli.USAGE);
        assertThat(r.err().lines().toList()).as("stderr").singleElement().satisfies(line -> {
            assertThat(line).startsWith("error: ").endsWith("[" + code + "]");
            for (String s : says) {
                assertThat(line).contains(s);
            }
        });
        assertThat(r.console()).as("nothing else printed, least of all a stack trace").doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void anEmptyRulesDirectoryIsRefusedBeforeAnythingIsProvisioned() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("README.txt"), "rules go here");
        try (CleverSimulator sim = CleverSimulator.builder().build().start()) {
            Result r = cli("sync", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(), "--rules", rules.toString(),
                    "--db", "jdbc:h2:mem:empty-rules;DB_CLOSE_DELAY=-1");

            assertOneLineWithoutStackTrace(r, "HR-RULES-004", "holds no .drl rule files", "every record would be provisioned");
            assertThat(sim.requestCount()).as("Clever was not even asked").isZero();
        }
        Result check = cli("rules", "check", "--rules", rules.toString());
        assertOneLineWithoutStackTrace(check, "HR-RULES-004", "holds no .drl rule files");
    }

    @Test
    void ruleFilesThatDefineNoRulesAreRefusedToo() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("empty.drl"), "package dev.homeroom.rules.custom;\n");
        try (CleverSimulator sim = CleverSimulator.builder().build().start()) {
            Result r = cli("sync", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(), "--rules", rules.toString(),
                    "--db", "jdbc:h2:mem:no-rules;DB_CLOSE_DELAY=-1");

            assertOneLineWithoutStackTrace(r, "HR-RULES-004", "define no rules");
        }
    }

    @Test
    void anUnwritableH2PathIsOneLine() {
        Result r = cli("runs", "--db", "jdbc:h2:file:/proc/homeroom-nope/homeroom");

        assertOneLineWithoutStackTrace(r, "HR-STORE-009", "cannot create or write", "/proc/homeroom-nope");
    }

    @Test
    void aLockedH2FileIsReportedInUseNotAsBadCredentials() throws Exception {
        StoreConfig config = StoreConfig.h2File(dir);
        Store.open(config).close();
        Path file = dir.resolve("homeroom.mv.db");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            Result r = cli("runs", "--db", config.jdbcUrl());

            assertOneLineWithoutStackTrace(r, "HR-STORE-006", "in use by another process");
            assertThat(r.err()).doesNotContain("--db-password");
        }
    }
}
