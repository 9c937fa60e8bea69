package dev.homeroom.host;

import dev.homeroom.spi.HomeroomException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The sample host: the command line of docs/CLI.md. Exit codes: 0 success, 1 the run ended FAILED or a check failed,
 * 2 bad usage or configuration (one line, no stack trace), 3 halted by a safety guard.
 */
// scope INHERIT: every subcommand answers --help and --version too
@Command(name = "homeroom", mixinStandardHelpOptions = true, version = "Homeroom sample host 0.1.0", scope = CommandLine.ScopeType.INHERIT,
        description = "Sync a school district from Clever into this host's store, explain every decision, and author rules.",
        subcommands = {DemoCommand.class, SyncCommand.class, PlanCommand.class, ApproveCommand.class, RejectCommand.class, ChangesCommand.class, RevertCommand.class, ExplainCommand.class, ManualCommand.class,
                RulesCommand.class, SimulateCommand.class, ServeCommand.class, RunsCommand.class, WarningsCommand.class, GroupsCommand.class, AdminCommand.class, AdminTimingsCommand.class,
                dev.homeroom.host.bench.BenchCommand.class, CommandLine.HelpCommand.class})
public final class HomeroomCli implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int HALTED = 3;
    /** Another run holds the district (HR-SYNC-409): nothing was done; a scheduler should retry later. */
    public static final int BUSY = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given outputs; returns the exit code (the tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new HomeroomCli());
        cli.setCommandName(commandName());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> e instanceof HomeroomException ? USAGE : FAILED);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("usage: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof HomeroomException h) {
                err.println("error: " + oneLine(h.getMessage()) + " [" + h.code() + "]");
                return USAGE;
            }
            err.println("error: " + oneLine(String.valueOf(ex.getMessage())) + " (" + ex.getClass().getSimpleName()
                    + "; set HOMEROOM_DEBUG=1 for the stack trace)");
            if (System.getenv("HOMEROOM_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return FAILED;
        });
        return cli.execute(args);
    }

    /**
     * What a user types to run this program, for usage lines and hints: {@code java -jar PATH} when it runs from a jar
     * (the path as given relative to the working directory), else {@code homeroom}.
     */
    static String commandName() {
        try {
            var source = HomeroomCli.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                return commandName(java.nio.file.Path.of(source.getLocation().toURI()), java.nio.file.Path.of("").toAbsolutePath());
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through: not worth failing a command over its own name
        }
        return "homeroom";
    }

    static String commandName(java.nio.file.Path codeSource, java.nio.file.Path workingDirectory) {
        if (!codeSource.getFileName().toString().endsWith(".jar")) {
            return "homeroom";
        }
        java.nio.file.Path jar = codeSource.toAbsolutePath().normalize();
        java.nio.file.Path cwd = workingDirectory.toAbsolutePath().normalize();
        return "java -jar " + (jar.startsWith(cwd) ? cwd.relativize(jar) : jar);
    }

    static String oneLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
