package dev.homeroom.rules.internal;

import dev.homeroom.rules.Decisions;
import dev.homeroom.spi.AccountFlag;
import dev.homeroom.spi.CleanedValue;
import dev.homeroom.spi.CourseFact;
import dev.homeroom.spi.DataWarning;
import dev.homeroom.spi.Decision;
import dev.homeroom.spi.Filler;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RoleDecision;
import dev.homeroom.spi.SchoolFact;
import dev.homeroom.spi.SectionFact;
import dev.homeroom.spi.TermFact;
import dev.homeroom.spi.UserFact;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.runtime.KieSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one batch in one stateful session and collects what rules inserted. */
public final class SessionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRunner.class);
    public static final String RULE_ERROR_ID = "engine:rule-error";

    private SessionRunner() {}

    public static Decisions evaluate(KieBase kieBase, Collection<?> facts, Policies policies) {
        try {
            return run(kieBase, facts, policies);
        } catch (RuntimeException batchFailure) {
            if (facts.size() <= 1) {
                return failed(facts, batchFailure);
            }
            LOG.warn("HR-RULES-010 a rule failed in a batch of {} facts ({}); deciding them one by one",
                    facts.size(), oneLine(batchFailure));
            Collector all = new Collector();
            for (Object fact : facts) {
                if (fact == null) {
                    continue;
                }
                Decisions one;
                try {
                    one = run(kieBase, List.of(fact), policies);
                } catch (RuntimeException e) {
                    one = failed(List.of(fact), e);
                }
                all.addAll(one);
            }
            return all.toDecisions();
        }
    }

    private static Decisions run(KieBase kieBase, Collection<?> facts, Policies policies) {
        KieSession session = kieBase.newKieSession();
        Collector collector = new Collector();
        try {
            session.addEventListener(collector);
            session.insert(policies);
            for (Object fact : facts) {
                if (fact != null) {
                    session.insert(fact);
                }
            }
            session.fireAllRules();
        } finally {
            session.dispose();
        }
        return collector.toDecisions();
    }

    private static Decisions failed(Collection<?> facts, RuntimeException e) {
        Collector c = new Collector();
        for (Object fact : facts) {
            RecordKind kind = kindOf(fact);
            String id = idOf(fact);
            if (kind == null || id == null) {
                LOG.warn("HR-RULES-011 a rule failed on a fact that is not a record ({}): {}",
                        fact == null ? "null" : fact.getClass().getName(), oneLine(e));
                continue;
            }
            LOG.warn("HR-RULES-011 a rule failed on {} {}: {}", kind.label(), id, oneLine(e));
            c.decisions.add(new Decision(kind, id, Outcome.ERROR, RULE_ERROR_ID, "a rule failed on this record: " + oneLine(e)));
        }
        return c.toDecisions();
    }

    private static String oneLine(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        int depth = 0;
        while (t != null && depth++ < 4) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            t = t.getCause() == t ? null : t.getCause();
        }
        String s = sb.toString().replaceAll("\\s+", " ");
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }

    static RecordKind kindOf(Object fact) {
        if (fact instanceof UserFact) return RecordKind.USER;
        if (fact instanceof SectionFact) return RecordKind.SECTION;
        if (fact instanceof TermFact) return RecordKind.TERM;
        if (fact instanceof SchoolFact) return RecordKind.SCHOOL;
        if (fact instanceof CourseFact) return RecordKind.COURSE;
        return null;
    }

    static String idOf(Object fact) {
        try {
            if (fact instanceof UserFact u) return u.user() == null ? null : u.id();
            if (fact instanceof SectionFact s) return s.section() == null ? null : s.id();
            if (fact instanceof TermFact t) return t.term() == null ? null : t.id();
            if (fact instanceof SchoolFact s) return s.school() == null ? null : s.id();
            if (fact instanceof CourseFact c) return c.course() == null ? null : c.id();
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Collects only objects that a rule inserted (not the input facts), in insertion order. */
    private static final class Collector extends DefaultRuleRuntimeEventListener {
        final List<Decision> decisions = new ArrayList<>();
        final List<RoleDecision> roles = new ArrayList<>();
        final List<Filler> fillers = new ArrayList<>();
        final List<CleanedValue> cleaned = new ArrayList<>();
        final List<DataWarning> warnings = new ArrayList<>();
        final List<AccountFlag> flags = new ArrayList<>();

        @Override
        public void objectInserted(ObjectInsertedEvent event) {
            if (event.getRule() == null) {
                return;
            }
            Object o = event.getObject();
            if (o instanceof Decision d) decisions.add(d);
            else if (o instanceof RoleDecision r) roles.add(r);
            else if (o instanceof Filler f) fillers.add(f);
            else if (o instanceof CleanedValue c) cleaned.add(c);
            else if (o instanceof DataWarning w) warnings.add(w);
            else if (o instanceof AccountFlag a) flags.add(a);
        }

        void addAll(Decisions d) {
            decisions.addAll(d.decisions());
            roles.addAll(d.roles());
            fillers.addAll(d.fillers());
            cleaned.addAll(d.cleanedValues());
            warnings.addAll(d.warnings());
            flags.addAll(d.flags());
        }

        Decisions toDecisions() {
            return new Decisions(decisions, roles, fillers, cleaned, warnings, flags);
        }
    }
}
