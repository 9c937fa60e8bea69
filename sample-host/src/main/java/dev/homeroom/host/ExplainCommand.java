package dev.homeroom.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.internal.ReportJson;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "explain", description = "Why a user, section, term, course or school ended as it did: outcome, rules, fillers, warnings, history.")
final class ExplainCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CLEVER_ID")
    String cleverId;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = out();
        try (SyncEngine engine = store.readOnlyEngine()) {
            Optional<Explanation> found = engine.explain(cleverId);
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("error: no record with Clever id " + cleverId + " in this store");
                return HomeroomCli.FAILED;
            }
            Explanation e = found.get();
            if (json) {
                out.println(ReportJson.mapper().writeValueAsString(e));
                return HomeroomCli.OK;
            }
            out.printf("%s %s (district %s): %s%n", e.kind(), e.cleverId(), e.districtId(), e.outcome());
            if (!e.roles().isEmpty()) {
                out.printf("  roles: %s  effective role: %s%n", String.join(", ", e.roles()), e.effectiveRole());
            }
            e.decisions().forEach(d -> out.printf("  rule %s -> %s: %s%n", d.rule(), d.outcome(), d.reason()));
            e.fillers().forEach(f -> out.printf("  filler %s = %s (%s)%n", f.field(), f.value(), f.rule()));
            e.cleaned().forEach(f -> out.printf("  cleaned %s = %s (%s)%n", f.field(), f.value(), f.rule()));
            e.warnings().forEach(w -> out.printf("  warning %s %s: %s (%s%s)%n", w.code(), w.field() == null ? "" : w.field(), w.message(),
                    w.rule(), w.runId() == null ? "" : ", run " + w.runId()));
            out.println("  provisioned: " + (e.provisioned() == null ? "nothing" : e.provisioned()));
            e.history().forEach(h -> out.printf("  history %s %s %s (%s)%n", h.at(), h.runId(), h.outcome(), h.rule()));
            return HomeroomCli.OK;
        }
    }
}
