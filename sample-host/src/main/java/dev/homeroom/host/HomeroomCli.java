package dev.homeroom.host;

import dev.homeroom.spi.HomeroomException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The sample host: the command line of CLI.md. Exit codes: 0 success, 1 the run ended FAILED or a check failed,
 * 2 bad usage or configuration (one line, no stack trace), 3 halted by a safety guard.
 */
@Command(name = "homeroom", mixinStandardHelpOptions = true, version = "Homeroom sample host 0.1.0",
        description = "Sync a school district from Clever into this host's store, explain every decision, and author rules.",
        subcommands = {DemoCommand.class, SyncCommand.class, PlanCommand.class, ApproveCommand.class, ExplainCommand.class,
                RulesCommand.class, SimulateCommand.class, RunsCommand.class, WarningsCommand.class,
                dev.homeroom.host.bench.BenchCommand.class})
public final class HomeroomCli implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int HALTED = 3;

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

    static String oneLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
