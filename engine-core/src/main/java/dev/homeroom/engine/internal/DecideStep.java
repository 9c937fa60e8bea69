package dev.homeroom.engine.internal;

import dev.homeroom.engine.Stage;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.internal.RunTally.Counter;
import dev.homeroom.rules.Decisions;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.Course;
import dev.homeroom.spi.CourseFact;
import dev.homeroom.spi.DuplicateOf;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.School;
import dev.homeroom.spi.SchoolFact;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.SectionFact;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.TermFact;
import dev.homeroom.spi.User;
import dev.homeroom.spi.UserFact;
import dev.homeroom.store.FactRow;
import dev.homeroom.store.Provisioned;
import dev.homeroom.store.ProvisionedChange;
import dev.homeroom.store.StoreSession;
import dev.homeroom.store.WarningRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decide step of a run, kind by kind: per-record facts to the rules in batches, the decisions resolved against
 * the provisioned state and applied, and each record's change counted for the report, the plan and its fingerprint.
 */
final class DecideStep {
    /** Decisions written since the last refresh of PostgreSQL's statistics worth another one (a re-sync writes none). */
    private static final int STATISTICS_AFTER_ROWS = 5_000;

    private final Run run;

    DecideStep(Run run) {
        this.run = run;
    }

    /**
     * Decides and applies every record of a kind, in batches of consecutive ids; an incremental run decides only
     * the records its events touched ({@link Run#dirty}), in batches of those ids.
     */
    void decide(StoreSession s, RecordKind kind) {
        java.util.Iterator<List<String>> touched = run.dirty == null ? null
                : chunks(new java.util.TreeSet<>(run.dirty.getOrDefault(kind, Set.of()))).iterator();
        String after = null;
        int batches = 0;
        long writtenSinceStatistics = 0;
        while (true) {
            long f0 = System.nanoTime();
            if (Integer.bitCount(++batches) == 1 && writtenSinceStatistics >= STATISTICS_AFTER_ROWS) {
                // batch 2, 4, 8, … of a run that writes: the decisions and provisioned rows this loop writes and reads back grow with
                // it, so PostgreSQL's estimates stay within twice the truth (stale, a first run's join plans went
                // quadratic: 285 s deciding 100k students instead of seconds)
                s.refreshDecisionStatistics();
                writtenSinceStatistics = 0;
            }
            List<FactRow> rows;
            if (touched == null) {
                rows = s.derive().facts(run.districtId(), run.runId, kind, after, run.settings.decideBatchSize());
            } else {
                rows = touched.hasNext() ? s.derive().factsOf(run.districtId(), run.runId, kind, touched.next()) : null;
            }
            long r0 = System.nanoTime();
            run.stages.add(Stage.DERIVE, r0 - f0);
            if (rows == null || touched == null && rows.isEmpty()) {
                break;
            }
            if (rows.isEmpty()) {
                continue;
            }
            after = rows.get(rows.size() - 1).cleverId();
            List<Object> facts = new ArrayList<>(rows.size());
            List<CleverRecord> records = new ArrayList<>(rows.size());
            for (FactRow row : rows) {
                CleverRecord record = RecordCodec.read(run.json, kind, row.payload());
                records.add(record);
                facts.add(fact(kind, row, record));
                if (kind == RecordKind.COURSE) {
                    facts.add(new dev.homeroom.rules.CourseSchools(row.cleverId(), row.schools())); // P19
                }
                if (kind == RecordKind.USER) {
                    sharing(facts, row.cleverId(), DuplicateOf.EMAIL, row.text1());
                    sharing(facts, row.cleverId(), DuplicateOf.SIS_ID, row.text2());
                }
            }
            Map<String, List<dev.homeroom.spi.SupplementalData>> joined = Map.of();
            if (kind == RecordKind.USER && !run.supplemental.isEmpty()) {
                joined = run.supplemental.forUsers(s, run.districtId(), rows.stream().map(FactRow::cleverId).toList());
                joined.values().forEach(facts::addAll);
            }
            if (kind == RecordKind.SECTION && run.policies.is("sections.filter", "STAGING")) {
                for (String id : s.edits().selectedSections(run.districtId(), rows.stream().map(FactRow::cleverId).toList())) {
                    facts.add(new dev.homeroom.spi.SectionSelection(id));
                }
            }
            Decisions decisions = run.ruleSet.evaluate(facts, run.policies);
            if (!run.fillers.isEmpty(kind)) {
                Set<String> gone = new HashSet<>();
                rows.forEach(r -> { if (r.change() == Change.GONE) gone.add(r.cleverId()); });
                Map<String, Map<String, Map<String, String>>> byPlugin = new java.util.HashMap<>();
                joined.forEach((id, list) -> PluginSupplemental.byPlugin(list).forEach((plugin, values) ->
                        byPlugin.computeIfAbsent(plugin, k -> new java.util.HashMap<>()).put(id, values)));
                decisions = run.fillers.apply(run.districtId(), kind, records, gone::contains, decisions,
                        plugin -> byPlugin.getOrDefault(plugin, Map.of()));
            }
            long p0 = System.nanoTime();
            run.stages.add(Stage.DECIDE, p0 - r0);
            Resolver.Index index = new Resolver.Index(decisions, kind);
            index.supplemental = joined;
            index.supplementalColumn = !run.supplemental.isEmpty();
            index.pluginOfRule = run.pluginOfRule;
            if (kind == RecordKind.USER && run.policies.is("users.multi_school", "PER_SCHOOL_ACCOUNTS")) {
                index.perSchoolAccounts = true;
                Map<String, List<String>> userSchools = new java.util.HashMap<>();
                rows.forEach(r -> userSchools.put(r.cleverId(), r.schools().stream().filter(ShadowMapper::validId).toList()));
                index.userSchools = userSchools;
            }
            if (kind == RecordKind.COURSE && run.policies.is("courses.per_school", "true")) {
                index.perSchoolCourses = true;
                Map<String, List<String>> courseSchools = new java.util.HashMap<>();
                rows.forEach(r -> courseSchools.put(r.cleverId(), r.schools().stream().filter(ShadowMapper::validId).toList()));
                index.courseSchools = courseSchools;
            }
            if (kind == RecordKind.USER) {
                if (run.sharedSchools == null) {
                    run.sharedSchools = s.derive().sharedIds(run.districtId(), RecordKind.SCHOOL);
                }
                for (int i = 0; i < rows.size(); i++) {
                    if (rows.get(i).change() == Change.GONE) {
                        continue;
                    }
                    // part of the decision, so an unchanged user's finding is stored once, not every run
                    String id = rows.get(i).cleverId();
                    SchoolReferences.check((User) records.get(i), run.sharedSchools).ifPresent(w ->
                            index.warnings.computeIfAbsent(id, k -> new ArrayList<>()).add(w));
                }
            }
            List<dev.homeroom.store.DecisionStore.Update> changedStates = new ArrayList<>();
            List<Provisioned> desired = new ArrayList<>();
            List<String> off = new ArrayList<>();
            Map<String, Outcome> outcomes = new java.util.HashMap<>();
            Map<String, String> winningRules = new java.util.HashMap<>();
            // only when a plugin's listener asked for every decision: otherwise nothing is built (a 1M-student run)
            List<dev.homeroom.spi.DecidedRecord> heard = run.plugins.pluginListeners().hearsDecisions() ? new ArrayList<>(rows.size()) : null;
            Map<String, String> reasons = new java.util.HashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                FactRow row = rows.get(i);
                Resolver.Resolved r = Resolver.resolve(kind, records.get(i), row.change(), index);
                // the decision hash covers its warnings: an unchanged decision's findings are stored already
                boolean decisionChanged = !r.state().decisionHash().equals(row.previousDecisionHash());
                if (decisionChanged) {
                    changedStates.add(new dev.homeroom.store.DecisionStore.Update(r.state(), row.previousDecisionHash() != null, row.previousOutcome()));
                }
                Outcome outcome = r.state().outcome();
                if (heard != null) {
                    heard.add(new dev.homeroom.spi.DecidedRecord(kind, row.cleverId(), outcome, r.winner().ruleId(), r.winner().reason(),
                            row.previousOutcome(), decisionChanged));
                }
                outcomes.put(row.cleverId(), outcome);
                winningRules.put(row.cleverId(), r.winner().ruleId());
                // kept for the listed changes, and under MANUAL for the plan's list (the winning rules are kept anyway)
                if (run.request.listChanges() > run.listedChanges.size() || (run.manual && run.whyChanged.size() <= ManualApproval.MAX_LISTED)) {
                    reasons.put(row.cleverId(), r.winner().reason());
                }
                switch (outcome) {
                    case PROVISIONED -> {
                        desired.addAll(r.rows());
                        if (r.rows().isEmpty()) {
                            off.add(row.cleverId()); // provisioned as no row at all (P19: a course no school has a section of)
                        }
                    }
                    case SKIPPED, DEACTIVATED -> off.add(row.cleverId());
                    case ERROR -> {
                        // a handled error never leaves more access than Clever grants (docs/POLICIES.md): a user's
                        // accounts close until the data is fixed; a section's class keeps its last good values while
                        // its memberships follow Clever's enrollments; terms, schools and courses grant no access
                        if (kind == RecordKind.USER) {
                            off.add(row.cleverId());
                        }
                    }
                }
                if (outcome == Outcome.ERROR) {
                    run.tally.add(kind, Counter.ERRORS, 1);
                    run.tally.errors(1);
                    if (decisionChanged) {
                        run.pendingWarnings.add(new WarningRow(run.runId, kind, row.cleverId(), "HANDLED_ERROR", null, r.winner().reason(), r.winner().ruleId()));
                    }
                }
                for (var w : r.warnings()) {
                    if (decisionChanged) {
                        run.pendingWarnings.add(new WarningRow(run.runId, kind, row.cleverId(), w.code(), w.field(), w.message(), w.ruleId()));
                    }
                    run.tally.warnings(1);
                }
            }
            if (heard != null) {
                run.plugins.pluginListeners().batchDecided(kind, heard);
            }
            long a0 = System.nanoTime();
            run.stages.add(Stage.PLAN, a0 - p0);
            s.decisions().saveUpdates(run.districtId(), run.runId, changedStates);
            writtenSinceStatistics += changedStates.size();
            Map<String, ProvisionedChange> changes = s.provisioning().reconcile(run.districtId(), run.runId, kind, desired, off,
                    dev.homeroom.store.EditPolicy.forStrategy(run.policies.get("sync.strategy")),
                    touched == null ? new dev.homeroom.store.IdRange(rows.get(0).cleverId(), after) : null);
            for (var conflict : s.provisioning().drainEditConflicts()) {
                // TWO_WAY: the person's edit stays; the host learns what Clever sent beside it
                run.pendingWarnings.add(new WarningRow(run.runId, kind, conflict.cleverId(), "EDIT_CONFLICT", conflict.field(),
                        "kept the edited " + conflict.field() + " '" + conflict.kept() + "'; Clever now sends '" + conflict.cleverValue() + "'",
                        "engine:sync-strategy"));
                run.tally.warnings(1);
            }
            count(kind, outcomes, winningRules, reasons, changes, s.provisioning().lastValueHashes());
            List<String> changedIds = new ArrayList<>();
            changes.forEach((key, change) -> {
                if (change != ProvisionedChange.UNCHANGED && change != ProvisionedChange.NONE) {
                    changedIds.add(recordIdOf(key));
                }
            });
            run.changed.add(kind, changedIds);
            run.membershipsChanged.add(kind, s.provisioning().lastMembershipChanges().stream().map(DecideStep::recordIdOf).toList());
            s.provisioning().lastGradeChanges().forEach(key -> run.gradesChanged.add(recordIdOf(key)));
            run.flushWarnings(s);
            run.stages.add(Stage.APPLY, System.nanoTime() - a0);
            for (SyncListener l : run.settings.listeners()) {
                l.recordsDecided(kind, rows.size());
            }
        }
    }

    /** P9: {@code other} shares the user's value; the one that keeps it is the lowest Clever id (see FactRow). */
    private static void sharing(List<Object> facts, String id, String field, String other) {
        if (other == null) {
            return;
        }
        facts.add(new dev.homeroom.spi.SharedValue(RecordKind.USER, id, field, other));
        if (other.compareTo(id) < 0) {
            facts.add(new DuplicateOf(RecordKind.USER, id, field, other));
        }
    }

    private Object fact(RecordKind kind, FactRow row, CleverRecord record) {
        return switch (kind) {
            case USER -> new UserFact(run.districtId(), (User) record, row.change(), row.previousOutcome(), row.count1(), row.count2(),
                    row.schools(), row.flag1(), row.flag2());
            case SECTION -> new SectionFact(run.districtId(), (Section) record, row.change(), row.previousOutcome(), row.count1(),
                    row.count2(), row.flag1(), row.text1(), row.text2(), row.flag2());
            case TERM -> new TermFact(run.districtId(), (Term) record, row.change(), row.previousOutcome(), row.count1());
            case COURSE -> new CourseFact(run.districtId(), (Course) record, row.change(), row.previousOutcome(), row.count1());
            case SCHOOL -> new SchoolFact(run.districtId(), (School) record, row.change(), row.previousOutcome());
            case DISTRICT -> throw new IllegalArgumentException("districts are not decided");
        };
    }

    /** Per record: the strongest change among its rows (one per account role), counted once. */
    private void count(RecordKind kind, Map<String, Outcome> outcomes, Map<String, String> winningRules, Map<String, String> reasons,
                       Map<String, ProvisionedChange> changes, Map<String, String> valueHashes) {
        Map<String, ProvisionedChange> perRecord = new java.util.HashMap<>();
        for (var e : changes.entrySet()) {
            String key = e.getKey();
            String id = kind == RecordKind.USER || kind == RecordKind.COURSE ? recordIdOf(key) : key;
            perRecord.merge(id, e.getValue(), (a, b) -> strength(a) >= strength(b) ? a : b);
            // the values too: an approval must apply what the person reviewed, not what Clever sends by then
            run.tally.change(kind, key, e.getValue().name() + "|" + valueHashes.getOrDefault(key, ""));
        }
        for (var e : new java.util.TreeMap<>(outcomes).entrySet()) {
            ProvisionedChange c = perRecord.getOrDefault(e.getKey(), ProvisionedChange.NONE);
            Outcome outcome = e.getValue();
            if (c != ProvisionedChange.NONE && c != ProvisionedChange.UNCHANGED) {
                run.changeCount++;
                if (run.manual && run.whyChanged.size() <= ManualApproval.MAX_LISTED && winningRules.get(e.getKey()) != null) {
                    run.whyChanged.put(kind.label() + "|" + e.getKey(), new String[] {winningRules.get(e.getKey()), reasons.get(e.getKey())});
                }
                if (run.listedChanges.size() < run.request.listChanges()) {
                    // a role's account closed while another stays is an update of the record
                    String change = outcome == Outcome.PROVISIONED && c == ProvisionedChange.DEACTIVATED ? "UPDATED" : c.name();
                    run.listedChanges.add(new dev.homeroom.engine.RecordChange(kind.label(), e.getKey(), change,
                            winningRules.get(e.getKey()), reasons.get(e.getKey())));
                }
            }
            if (outcome == Outcome.PROVISIONED) {
                run.tally.add(kind, switch (c) {
                    case CREATED -> Counter.CREATED;
                    case REACTIVATED -> Counter.REACTIVATED;
                    case UPDATED, DEACTIVATED -> Counter.UPDATED; // a role's account closed while another stays: an update
                    default -> Counter.UNCHANGED;
                }, 1);
            } else if (outcome == Outcome.SKIPPED && c != ProvisionedChange.DEACTIVATED) {
                run.tally.add(kind, Counter.SKIPPED, 1);
                run.tally.skippedBy(winningRules.get(e.getKey()));
            } else if (c == ProvisionedChange.DEACTIVATED) {
                run.tally.add(kind, Counter.DEACTIVATED, 1);
                run.tally.deactivatedBy(winningRules.get(e.getKey()));
            }
        }
    }

    private int strength(ProvisionedChange c) {
        return switch (c) {
            case CREATED -> 5;
            case REACTIVATED -> 4;
            case DEACTIVATED -> 3;
            case UPDATED -> 2;
            case UNCHANGED -> 1;
            case NONE -> 0;
        };
    }

    /** Ids in order, in batches the derive step takes at a time. */
    private static List<List<String>> chunks(java.util.SortedSet<String> ids) {
        List<String> all = List.copyOf(ids);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += dev.homeroom.store.DeriveQueries.MAX_IDS) {
            out.add(all.subList(i, Math.min(all.size(), i + dev.homeroom.store.DeriveQueries.MAX_IDS)));
        }
        return out;
    }

    /** The Clever id of a provisioned row's key ("id" or, for accounts, "id/role"). */
    private static String recordIdOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }
}
