package dev.homeroom.host;

import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Fault;
import dev.homeroom.testkit.Faults;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "simulate", description = "Serve the Clever API simulator until stopped (Ctrl-C).")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "0", description = "port on 127.0.0.1 (default: a free one)")
    int port;

    @Option(names = "--users", defaultValue = "300", description = "students in the synthetic district (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--token", defaultValue = DemoCommand.DEMO_TOKEN, description = "the bearer token it accepts (default ${DEFAULT-VALUE})")
    String token;

    @Option(names = "--revision", defaultValue = "0", description = "serve a later state of the district (records gone, renamed, …)")
    int revision;

    @Option(names = "--fault", paramLabel = "N:FAULT", description = "the Nth request gets FAULT, e.g. 1:TOO_MANY_REQUESTS (one of ${COMPLETION-CANDIDATES})")
    List<String> faults = List.of();

    @Option(names = "--fault-rate", defaultValue = "0", description = "probability of a random fault per request")
    double faultRate;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Faults.Builder plan = Faults.builder();
        for (String f : faults) {
            String[] parts = f.split(":", 2);
            try {
                plan.nth(Long.parseLong(parts[0]), Fault.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT)));
            } catch (RuntimeException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "bad --fault '" + f + "': use N:FAULT with FAULT one of " + java.util.Arrays.toString(Fault.values()));
            }
        }
        if (faultRate > 0) {
            plan.random(faultRate, seed, Fault.BAD_GATEWAY, Fault.TOO_MANY_REQUESTS, Fault.CONNECTION_RESET, Fault.TRUNCATED_BODY);
        }
        SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(users).seed(seed).build()).atRevision(revision);
        CleverSimulator simulator = CleverSimulator.builder().district(district).token(token).port(port).faults(plan.build()).build().start();
        spec.commandLine().getOut().printf("Clever simulator serving %s on %s (token %s); Ctrl-C to stop%n", district, simulator.baseUrl(), token);
        spec.commandLine().getOut().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }));
        stopped.await();
        return HomeroomCli.OK;
    }
}
