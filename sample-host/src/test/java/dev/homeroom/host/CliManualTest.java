package dev.homeroom.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The command line's manners: every command answers {@code --help} and {@code help COMMAND} with exit 0 and a usage
 * line naming what the user types; the token can come from a file; plugin settings from the command line; a run
 * another run holds the district for exits with its own code so a scheduler can retry.
 */
class CliManualTest {
    @TempDir
    Path tmp;

    /** Every command and subcommand, as a user types it after the program name, e.g. "rules check". */
    private static List<String> allCommands() {
        List<String> names = new ArrayList<>();
        collect(new CommandLine(new HomeroomCli()), "", names);
        return names;
    }

    private static void collect(CommandLine cli, String prefix, List<String> names) {
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                names.add(prefix + name);
                collect(sub, prefix + name + " ", names);
            }
        });
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExitZero() {
        List<String> commands = allCommands();
        assertThat(commands).contains("demo", "sync", "plan", "approve", "revert", "explain", "rules", "rules check", "rules test", "simulate", "serve",
                "runs", "warnings", "admin");
        for (String command : commands) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            CliContractTest.Result help = CliContractTest.run(args.toArray(String[]::new));
            assertThat(help.code()).as(command + " --help: " + help.err()).isZero();
            assertThat(help.out()).as(command + " --help").startsWith("Usage: homeroom " + command + " ");

            // "help sync"; a subcommand's own: "rules help check"
            List<String> words = List.of(command.split(" "));
            List<String> viaHelp = new ArrayList<>(words.subList(0, words.size() - 1));
            viaHelp.add("help");
            viaHelp.add(words.get(words.size() - 1));
            CliContractTest.Result h = CliContractTest.run(viaHelp.toArray(String[]::new));
            assertThat(h.code()).as("help " + command + ": " + h.err()).isZero();
            assertThat(h.out()).as("help " + command).startsWith("Usage: homeroom " + command + " ");
        }
        CliContractTest.Result top = CliContractTest.run("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("help", "sync", "rules");
    }

    @Test
    void usageNamesTheJarAsTheUserRunsIt() {
        Path cwd = Path.of("/home/me/homeroom");
        assertThat(HomeroomCli.commandName(cwd.resolve("sample-host/target/sample-host.jar"), cwd))
                .isEqualTo("java -jar sample-host/target/sample-host.jar");
        assertThat(HomeroomCli.commandName(Path.of("/opt/hr/sample-host.jar"), cwd)).isEqualTo("java -jar /opt/hr/sample-host.jar");
        assertThat(HomeroomCli.commandName(cwd.resolve("sample-host/target/classes"), cwd)).isEqualTo("homeroom");
        CliContractTest.Result bad = CliContractTest.run("sync", "--no-such-option");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("usage: homeroom sync --help");
    }

    @Test
    void theTokenComesFromAFileAndBadTokenFilesAreOneLine() throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start()) {
            Path file = Files.writeString(tmp.resolve("token"), sim.token() + "\n");
            String db = "jdbc:h2:mem:tokenfile" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
            CliContractTest.Result ok = CliContractTest.run("plan", "--clever-url", sim.baseUrl().toString(), "--token-file", file.toString(),
                    "--db", db, "--json");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("\"status\":\"PLANNED\"");

            assertOneLine(CliContractTest.run("plan", "--clever-url", sim.baseUrl().toString(), "--token-file", tmp.resolve("missing").toString(),
                    "--db", db), "cannot read the token file");
            Path empty = Files.writeString(tmp.resolve("empty"), "\n");
            assertOneLine(CliContractTest.run("plan", "--clever-url", sim.baseUrl().toString(), "--token-file", empty.toString(), "--db", db),
                    "is empty");
            assertOneLine(CliContractTest.run("plan", "--clever-url", sim.baseUrl().toString(), "--token", "t", "--token-file", file.toString(),
                    "--db", db), "not both");
            assertOneLine(CliContractTest.run("plan", "--clever-url", sim.baseUrl().toString(), "--token-file", file.toString(), "--db", db,
                    "--plugin-setting", "springfield"), "ID.KEY=VALUE");
        }
        assertThat(CliContractTest.run("sync", "--help").out()).contains("--token-file", "process list", "--plugin-setting");
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aDistrictAnotherRunHoldsExitsFourSoASchedulerRetries(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SyncListener holds = new SyncListener() {
            @Override
            public void pageFetched(RecordKind kind, int records, int problems) {
                if (inside.getCount() > 0) {
                    inside.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine first = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                     .discoverPlugins(false).listener(holds).build()) {
            List<String> args = new ArrayList<>(List.of("sync", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(),
                    "--db", db.jdbcUrl(), "--db-user", db.user()));
            if (db.password() != null && !db.password().isEmpty()) {
                args.addAll(List.of("--db-password", db.password()));
            }
            assertThat(CliContractTest.run(args.toArray(String[]::new)).code()).as("the district exists before the race").isZero();
            CompletableFuture<SyncReport> running = CompletableFuture.supplyAsync(() -> first.sync(SyncMode.FULL));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            CliContractTest.Result busy;
            try {
                busy = CliContractTest.run(args.toArray(String[]::new));
            } finally {
                release.countDown();
            }
            assertThat(busy.code()).as(busy.out() + busy.err()).isEqualTo(HomeroomCli.BUSY).isEqualTo(4);
            assertThat(busy.out()).contains("HR-SYNC-409");
            running.get(60, TimeUnit.SECONDS);
        }
    }

    private static void assertOneLine(CliContractTest.Result r, String mentions) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(mentions).doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }
}
