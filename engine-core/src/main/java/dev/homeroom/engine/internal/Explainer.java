package dev.homeroom.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.Explanation;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.User;
import dev.homeroom.store.DecisionDetail;
import dev.homeroom.store.DecisionState;
import dev.homeroom.store.Provisioned;
import dev.homeroom.store.RecordRef;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Answers "why": a record's outcome, the rules that decided it, its fillers, warnings, provisioned values and history. */
public final class Explainer {
    private static final List<RecordKind> PREFERENCE = List.of(RecordKind.USER, RecordKind.SECTION, RecordKind.TERM,
            RecordKind.COURSE, RecordKind.SCHOOL);

    private final Store store;
    private final ObjectMapper json = RecordCodec.mapper();

    public Explainer(Store store) {
        this.store = store;
    }

    public Optional<Explanation> explain(String cleverId) {
        return store.read(s -> {
            List<RecordRef> refs = new ArrayList<>(s.shadow().find(cleverId));
            if (refs.isEmpty()) {
                return Optional.<Explanation>empty();
            }
            refs.sort(Comparator.comparingInt(r -> PREFERENCE.indexOf(r.kind())));
            return Optional.of(explain(s, refs.get(0)));
        });
    }

    /** {@link #explain(String)} within one district: a record of another district is not found. */
    public Optional<Explanation> explain(String districtId, String cleverId) {
        return store.read(s -> {
            List<RecordRef> refs = new ArrayList<>(s.shadow().find(districtId, cleverId));
            if (refs.isEmpty()) {
                return Optional.<Explanation>empty();
            }
            refs.sort(Comparator.comparingInt(r -> PREFERENCE.indexOf(r.kind())));
            return Optional.of(explain(s, refs.get(0)));
        });
    }

    private Explanation explain(StoreSession s, RecordRef ref) {
        String d = ref.districtId();
        RecordKind kind = ref.kind();
        String id = ref.cleverId();
        CleverRecord record = s.shadow().payload(d, kind, id).map(p -> RecordCodec.read(json, kind, p)).orElse(null);
        List<String> roles = record instanceof User u ? u.roles().names() : List.of();
        Optional<DecisionState> state = s.decisions().decisionState(d, kind, id);
        // a rule's finding is stored once, by the run that last changed the decision (later runs that found it again
        // changed nothing): that is the run it came from
        String decidedIn = state.isPresent() ? s.decisions().decidedIn(d, kind, id).orElse(null) : null;
        List<Explanation.Line> decisions = new ArrayList<>();
        List<Explanation.Field> fillers = new ArrayList<>();
        List<Explanation.Field> cleaned = new ArrayList<>();
        List<Explanation.Warning> warnings = new ArrayList<>();
        for (DecisionDetail line : state.map(DecisionState::details).orElse(List.of())) {
            switch (line.type()) {
                case "OUTCOME" -> decisions.add(new Explanation.Line(line.ruleId(), line.outcome(), line.reason()));
                case "ROLE" -> decisions.add(new Explanation.Line(line.ruleId(), "ROLE " + line.value(), line.reason()));
                case "FLAG" -> decisions.add(new Explanation.Line(line.ruleId(), "FLAG " + line.value(), line.reason()));
                case "PLUGIN" -> decisions.add(new Explanation.Line(line.ruleId(), "PLUGIN " + line.value(), line.reason()));
                case "SUPPLEMENTAL" -> decisions.add(new Explanation.Line(line.ruleId(), "SUPPLEMENTAL " + line.value(), line.reason()));
                case "FILLER" -> fillers.add(new Explanation.Field(line.field(), line.value(), line.ruleId(), line.reason()));
                case "CLEANED" -> cleaned.add(new Explanation.Field(line.field(), line.value(), line.ruleId(), line.reason()));
                case "WARNING" -> warnings.add(new Explanation.Warning(line.value(), line.field(), line.reason(), line.ruleId(), decidedIn));
                default -> decisions.add(new Explanation.Line(line.ruleId(), line.type(), line.reason()));
            }
        }
        // Clever's value and what each district plugin made of it (the shadow keeps Clever's; the rules decided the plugins')
        Map<String, String> changedBy = new java.util.HashMap<>();
        for (PluginChanges.Change c : PluginChanges.decode(json, s.shadow().pluginChanges(d, kind, id).orElse(null))) {
            String earlier = changedBy.put(c.field(), c.plugin());
            decisions.add(new Explanation.Line("plugin:" + c.plugin(), "CHANGED " + c.field(),
                    (earlier == null ? "Clever sent " : "plugin " + earlier + " made it ") + quoted(c.before())
                            + "; plugin " + c.plugin() + " made it " + quoted(c.after())));
        }
        // a revert restored this record's provisioned values: say which run it took back
        s.reverts().lastRevertOf(d, kind, id).ifPresent(revert -> {
            String target = s.runs().run(revert).map(r -> ReportJson.field(r.report(), RunReverter.REVERT_OF)).orElse(null);
            decisions.add(new Explanation.Line("engine:revert", "REVERTED", "run " + revert + " restored the values and active"
                    + " flag this record had before run " + target + "; the next sync decides it again from Clever's data"));
        });
        // what the engine itself found (a record it could not read, a reference to a record Clever does not share) is
        // not a rule's decision: show it from the latest run that reported any
        List<dev.homeroom.store.WarningRow> engineWarnings = s.runs().warnings(d, null, id, 1000).stream()
                .filter(w -> "engine:fetch".equals(w.ruleId()) || "engine:derive".equals(w.ruleId()) || ReissuedIds.RULE.equals(w.ruleId()))
                .toList();
        if (!engineWarnings.isEmpty()) {
            String latest = engineWarnings.get(engineWarnings.size() - 1).runId();
            engineWarnings.stream().filter(w -> w.runId().equals(latest))
                    .forEach(w -> warnings.add(new Explanation.Warning(w.code(), w.field(), w.message(), w.ruleId(), w.runId())));
        }
        List<Explanation.HistoryEntry> history = s.decisions().history(d, kind, id).stream()
                .map(h -> new Explanation.HistoryEntry(h.runId(), h.runStartedAt() == null ? null : h.runStartedAt().toString() + "Z",
                        h.outcome(), h.ruleId(), h.reason()))
                .toList();
        return new Explanation(id, d, kind.label(), state.map(x -> x.outcome().name()).orElse(null), roles,
                state.map(DecisionState::effectiveRole).orElse(null), decisions, fillers, cleaned, warnings,
                provisioned(s, d, kind, id), history);
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }

    private static Map<String, Object> provisioned(StoreSession s, String d, RecordKind kind, String id) {
        List<Provisioned> rows = s.provisioning().provisioned(d, kind, id);
        if (rows.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> views = rows.stream().map(Explainer::view).toList();
        Map<String, Object> out;
        if (views.size() == 1) {
            out = new LinkedHashMap<>(views.get(0));
        } else {
            out = new LinkedHashMap<>();
            out.put("accounts", views);
        }
        if (kind == RecordKind.USER) {
            out.put("classes", s.provisioning().memberships(d, id));
        }
        return out;
    }

    private static Map<String, Object> view(Provisioned p) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (p.accountRole() != null) {
            v.put("role", p.accountRole());
        }
        v.put("active", p.active());
        p.values().forEach((k, val) -> v.put(k, val == null ? null : val instanceof Boolean || val instanceof Number ? val : val.toString()));
        return v;
    }
}
