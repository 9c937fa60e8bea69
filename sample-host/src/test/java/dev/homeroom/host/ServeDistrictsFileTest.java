package dev.homeroom.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad districts file stops {@code serve} at once, before it touches the store or Clever: exit 2 and one line naming
 * the file, the line and what to change, no stack trace.
 */
class ServeDistrictsFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "d1 token-file=t.txt daily=25:00                        | :2: daily='25:00' is not a time",
            "d1 token-file=t.txt incremental=0                      | :2: incremental='0' is not a number of minutes",
            "d1 token-file=t.txt incremental=often                  | :2: incremental='often'",
            "d1 token-file=t.txt tokn=x                             | :2: unknown field 'tokn': use one of url, token-file",
            "d1 token-file=missing.token                            | :2: cannot read token-file",
            "d1 token-file=empty.token                              | :2: token-file",
            "d1 daily=02:00                                         | :2: district 'd1' needs its token once",
            "d1 token-file=t.txt token-env=HOMEROOM_NO_SUCH_VAR     | :2: district 'd1' needs its token once",
            "d1 token-env=HOMEROOM_NO_SUCH_VAR                      | :2: environment variable HOMEROOM_NO_SUCH_VAR",
            "d1 token-file=t.txt url=http://clever.example.com      | :2: url='http://clever.example.com' must be https",
            "d1 token-file=t.txt zone=Mars/Olympus                  | :2: zone='Mars/Olympus' is not a time zone",
            "d1 token-file=t.txt daily                              | :2: 'daily' is not name=value",
            "d/1 token-file=t.txt                                   | :2: 'd/1' is not a district key",
    })
    void aBadLineIsNamedWithWhatToChange(String line, String expected) throws Exception {
        Files.writeString(dir.resolve("t.txt"), "a-token\n");
        Files.writeString(dir.resolve("empty.token"), "\n");
        Path file = dir.resolve("districts.txt");
        Files.writeString(file, "# districts\n" + line + "\n");
        CliContractTest.Result r = CliContractTest.run("serve", "--districts", file.toString(), "--db", "jdbc:h2:mem:never;DB_CLOSE_DELAY=-1");
        assertOneLine(r, file + expected);
        assertThat(r.err()).contains("HR-SCHED-012");
    }

    @Test
    void aKeyListedTwiceAnEmptyFileAndAMissingFileAreOneLineToo() throws Exception {
        Files.writeString(dir.resolve("t.txt"), "a-token\n");
        Path twice = dir.resolve("twice.txt");
        Files.writeString(twice, "d1 token-file=t.txt\n\nd1 token-file=t.txt daily=03:00\n");
        assertOneLine(CliContractTest.run("serve", "--districts", twice.toString()), twice + ":3: district 'd1' is listed twice");

        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "# nothing yet\n\n");
        assertOneLine(CliContractTest.run("serve", "--districts", empty.toString()), empty + ": no districts");

        Path missing = dir.resolve("absent.txt");
        assertOneLine(CliContractTest.run("serve", "--districts", missing.toString()), "districts file " + missing + " not found");
    }

    @Test
    void theLinesThatAreFineParse() throws Exception {
        Files.writeString(dir.resolve("a.token"), "token-a\n");
        Path file = dir.resolve("ok.txt");
        Files.writeString(file, "a token-file=a.token   # comment\nb token-env=B_TOKEN url=http://127.0.0.1:9 daily=03:15 incremental=45 zone=America/Chicago\n");
        var entries = DistrictsFile.read(file, java.util.Map.of("B_TOKEN", "token-b"));
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).token()).isEqualTo("token-a");
        assertThat(entries.get(0).cleverUrl()).isEqualTo("https://api.clever.com");
        assertThat(entries.get(0).schedule()).isEqualTo(dev.homeroom.engine.DistrictSchedule.daily(java.time.LocalTime.of(2, 0), 60));
        assertThat(entries.get(1).token()).isEqualTo("token-b");
        assertThat(entries.get(1).schedule().zone()).isEqualTo(java.time.ZoneId.of("America/Chicago"));
        assertThat(entries.get(1).schedule().incrementalEvery()).isEqualTo(java.time.Duration.ofMinutes(45));
        assertThat(entries.get(1).line()).isEqualTo(2);
    }

    private static void assertOneLine(CliContractTest.Result r, String mentions) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(mentions).doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }
}
