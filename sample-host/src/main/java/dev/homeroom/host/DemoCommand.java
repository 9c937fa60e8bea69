package dev.homeroom.host;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Start the bundled Clever simulator (a synthetic district with every quirk) and sync it into the embedded store.")
final class DemoCommand implements Callable<Integer> {
    static final String DEMO_TOKEN = "demo-district-token";

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--students", defaultValue = "300", description = "students in the synthetic district (default ${DEFAULT-VALUE})")
    int students;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the synthetic district (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print the run report as JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private SyncEngine.Builder withProgress(SyncEngine.Builder builder, PrintWriter out) {
        return ProgressListener.wanted(json, ProgressListener.stdoutIsTerminal())
                ? builder.listener(new ProgressListener(out, System::nanoTime)) : builder;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(students).seed(seed).build());
        try (CleverSimulator simulator = CleverSimulator.builder().district(district).token(DEMO_TOKEN).build().start();
             SyncEngine engine = withProgress(SyncEngine.builder(), out)
                     .cleverUrl(simulator.baseUrl().toString())
                     .token(DEMO_TOKEN)
                     .store(store.config())
                     // the example plugin applies only where it is told to: here, the demo's own district
                     .pluginSetting("springfield", "districts", district.districtId())
                     .build()) {
            if (!json) {
                out.printf("Homeroom demo: Clever simulator on %s serving %s%n", simulator.baseUrl(), district);
                out.println("store: " + store.config().jdbcUrl());
            }
            SyncReport report = engine.sync(SyncMode.FULL);
            if (json) {
                Reports.json(out, report);
                return Reports.exitCode(report);
            }
            Reports.human(out, report);
            out.println();
            String me = spec.root().name();
            out.println("Ask why a record ended as it did, e.g.:");
            for (Quirk q : List.of(Quirk.STUDENT_NO_SECTIONS, Quirk.MULTI_ROLE_TEACHER_STAFF_ADMIN, Quirk.STUDENT_MISSING_DOB, Quirk.SECTION_TERM_NOT_SHARED, Quirk.NAME_UNTRIMMED_CONTROL_CHARS)) {
                district.idsWith(q).stream().findFirst().ifPresent(id ->
                        out.printf("  %s explain %s%s   # %s%n", me, id,
                                store.url == null ? "" : " --db " + store.url, q.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
            }
            out.println("  " + me + " warnings " + report.runId() + (store.url == null ? "" : " --db " + store.url));
            return Reports.exitCode(report);
        }
    }
}
