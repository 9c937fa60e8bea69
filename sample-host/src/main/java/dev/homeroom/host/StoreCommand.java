package dev.homeroom.host;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the commands that read the store share (explain, runs, warnings): --db options, --json, the output. */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--json", description = "print JSON on stdout (logs go to stderr)")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
