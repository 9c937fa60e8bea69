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
                return manual(s, null, cleverId);
            }
            refs.sort(Comparator.comparingInt(r -> PREFERENCE.indexOf(r.kind())));
            return Optional.of(explain(s, refs.get(0)));
        });
    }

    /**
     * A host's manual class or student (never in Clever's data): outcome {@code MANUAL}, the line saying so, and the row
     * as the host sees it (with its memberships for a student).
     */
    private static Optional<Explanation> manual(StoreSession s, String districtId, String id) {
        for (RecordKind kind : List.of(RecordKind.USER, RecordKind.SECTION)) {
            for (var found : s.manual().find(kind, id)) {
                if (!found.manual() || (districtId != null && !districtId.equals(found.districtId()))) {
                    continue;
                }
                Map<String, Object> provisioned = provisioned(s, found.districtId(), kind, id);
                provisioned.put("manual", true);
                String created = s.manual().rows(found.districtId(), kind).stream().filter(r -> r.id().equals(id))
                        .map(dev.homeroom.store.ManualStore.ManualRow::createdRun).findFirst().orElse(null);
                List<Explanation.Line> lines = List.of(new Explanation.Line("engine:manual", "MANUAL", "a host made this "
                        + (kind == RecordKind.USER ? "student" : "class") + " in run " + created + " (SyncEngine.manual()); Clever"
                        + " does not know it, and a sync never changes or deactivates it"));
                return Optional.of(new Explanation(id, found.districtId(), kind.label(), "MANUAL",
                        kind == RecordKind.USER ? List.of("student") : List.of(), kind == RecordKind.USER ? "student" : null, lines,
                        List.of(), List.of(), List.of(), provisioned, List.of()));
            }
        }
        return Optional.empty();
    }

    /** {@link #explain(String)} within one district: a record of another district is not found. */
    public Optional<Explanation> explain(String districtId, String cleverId) {
        return store.read(s -> {
            List<RecordRef> refs = new ArrayList<>(s.shadow().find(districtId, cleverId));
            if (refs.isEmpty()) {
                return manual(s, districtId, cleverId);
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
            out.put(kind == RecordKind.COURSE ? "copies" : "accounts", views); // a course's copies: one per school (P19)
        }
        if (kind == RecordKind.USER) {
            out.put("classes", s.provisioning().memberships(d, id));
            List<String> manualClasses = s.manual().memberships(d).stream().filter(m -> m.userId().equals(id) && m.active())
                    .map(dev.homeroom.store.ManualStore.MembershipRow::classId).toList();
            if (!manualClasses.isEmpty()) {
                out.put("manual_classes", manualClasses); // a host joined them: a sync leaves these memberships alone
            }
            // P13 SELF_COURSE: the student's self-generated course, with the classes it groups
            List<Provisioned> self = s.provisioning().provisioned(d, RecordKind.COURSE, dev.homeroom.store.SelfCourses.keyOf(id));
            if (!self.isEmpty()) {
                Map<String, Object> course = new LinkedHashMap<>();
                course.put("key", dev.homeroom.store.SelfCourses.keyOf(id));
                course.putAll(view(self.get(0)));
                out.put("self_course", course);
            }
        }
        return out;
    }

    private static Map<String, Object> view(Provisioned p) {
        Map<String, Object> v = new LinkedHashMap<>();
        boolean course = p.kind() == RecordKind.COURSE;
        if (course) {
            if (p.accountRole() != null && !p.accountRole().isEmpty()) {
                v.put("school_id", p.accountRole()); // a per-school copy (P19)
            }
        } else if (p.accountRole() != null && p.accountRole().contains("@")) {
            // one of a user's per-school accounts (P14 PER_SCHOOL_ACCOUNTS)
            v.put("role", p.accountRole().substring(0, p.accountRole().indexOf('@')));
            v.put("school", p.accountRole().substring(p.accountRole().indexOf('@') + 1));
        } else if (p.accountRole() != null) {
            v.put("role", p.accountRole());
        }
        v.put("active", p.active());
        p.values().forEach((k, val) -> {
            // a Clever course shows no self-course columns (P13): they are set on self-generated courses only
            if (!course || !(k.equals("self_generated") && Boolean.FALSE.equals(val) || k.equals("section_ids") && val == null)) {
                v.put(k, val == null ? null : val instanceof Boolean || val instanceof Number ? val : val.toString());
            }
        });
        return v;
    }
}
