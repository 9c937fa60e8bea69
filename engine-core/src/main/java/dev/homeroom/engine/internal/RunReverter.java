package dev.homeroom.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.engine.internal.RunTally.Counter;
import dev.homeroom.spi.HomeroomException;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.ProvisionedChange;
import dev.homeroom.store.RevertStore;
import dev.homeroom.store.RunRow;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreSession;
import dev.homeroom.store.WarningRow;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverts a run that was applied (issue 10 item 1): as a run of its own, in one transaction under the district's lock,
 * every provisioned row and membership the run changed gets back what it held before, unless a later run changed it
 * again (then it stays, and the revert says so as a {@code NOT_RESTORED} warning). The revert goes to the outbox, is
 * explained, and stands under the safety guard like any run: one that would deactivate too large a share halts until
 * someone approves it.
 */
public final class RunReverter {
    private static final Logger log = LoggerFactory.getLogger(RunReverter.class);
    /** Report field naming the run a revert restores. */
    public static final String REVERT_OF = "revertOf";
    /** Past this many changed sections and users, derived values are redone for the whole district. */
    private static final int CHANGED_BEFORE_WHOLE_DISTRICT = 50_000;

    private final Store store;
    private final RuleProvider rules;
    private final PluginRegistry plugins;
    private final EngineSettings settings;

    public RunReverter(Store store, RuleProvider rules, PluginRegistry plugins, EngineSettings settings) {
        this.store = store;
        this.rules = rules;
        this.plugins = plugins;
        this.settings = plugins.withPluginListeners(settings);
    }

    private static final class Halt extends RuntimeException {
        final transient SyncReport report;
        final transient String json;

        Halt(SyncReport report, String json) {
            super(report.guard(), null, false, false);
            this.report = report;
            this.json = json;
        }
    }

    /**
     * Reverts {@code targetRunId}. With {@code approvedFingerprint}, a revert a guard halted is applied if it would make
     * exactly the changes that were halted ({@code approvedRunId} is the halted revert).
     */
    public SyncReport revert(String targetRunId, String approvedFingerprint, String approvedRunId) {
        RunRow target = store.read(s -> s.runs().run(targetRunId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-090", "no run " + targetRunId + " in this store (see the runs command)"));
        if (ManualChanges.MODE.equals(target.mode())) {
            throw new ConfigurationException("HR-MANUAL-013", "run " + targetRunId + " is a host's manual change, not a sync: a revert"
                    + " never touches manual records; change them back with SyncEngine.manual() (edit, setClassActive, leave)");
        }
        if (!SyncStatus.SUCCEEDED.name().equals(target.status()) && !SyncStatus.SUCCEEDED_WITH_WARNINGS.name().equals(target.status())) {
            throw new ConfigurationException("HR-CONFIG-091", "run " + targetRunId + " is " + target.status()
                    + ": it applied nothing, so there is nothing to revert (revert a run that SUCCEEDED)");
        }
        String districtId = target.districtId();
        Instant started = Instant.now();
        String runId = SyncPipeline.newRunId(started);
        Policies policies = rules.policies(districtId, plugins.forDistrict(districtId));
        for (SyncListener l : settings.listeners()) {
            l.runStarted(runId, districtId, SyncMode.REVERT);
        }
        SyncReport report;
        try {
            report = store.transaction(s -> {
                if (!s.runs().claimDistrict(districtId)) {
                    throw new HomeroomException("HR-SYNC-409", "district " + districtId + " is being synced by another run right now"
                            + " (another instance or thread); nothing was done, try again when it has finished", true, null);
                }
                s.runs().insertRun(runId, districtId, SyncMode.REVERT.label(), "RUNNING", LocalDateTime.ofInstant(started, ZoneOffset.UTC));
                SyncReport r = execute(s, target, runId, started, policies, approvedFingerprint, approvedRunId);
                s.runs().finishRun(runId, r.status().name(), LocalDateTime.ofInstant(r.finishedAt(), ZoneOffset.UTC), r.rulesHash(),
                        json(r, targetRunId), (int) r.warnings(), (int) r.errors());
                if (approvedRunId != null) {
                    s.runs().setRunStatus(approvedRunId, "APPROVED");
                }
                return r;
            });
            log.info("HR-SYNC-141 run {} reverted run {} of district {}", runId, targetRunId, districtId);
        } catch (Halt halt) {
            report = halt.report;
            SyncReport halted = report;
            store.transaction(s -> record(s, halted, halt.json));
            log.warn("HR-SYNC-140 revert {} of run {} halted by a safety guard: {}", runId, targetRunId, report.guard());
        } catch (HomeroomException e) {
            report = new SyncReport(runId, districtId, null, SyncMode.REVERT, SyncStatus.FAILED, started, Instant.now(),
                    new RunTally().kindCounts(), 0, 0, Map.of(), Map.of(), null, null, null, e.getMessage()).withFailureCode(e.code());
            SyncReport failed = report;
            log.error("HR-SYNC-142 revert {} of run {} failed: {}", runId, targetRunId, e.getMessage());
            store.transaction(s -> record(s, failed, json(failed, targetRunId)));
        }
        for (SyncListener l : settings.listeners()) {
            l.runFinished(report);
        }
        return report;
    }

    private SyncReport execute(StoreSession s, RunRow target, String runId, Instant started, Policies policies,
                               String approvedFingerprint, String approvedRunId) {
        String districtId = target.districtId();
        ActiveBefore.Counts before = ActiveBefore.countNow(s, districtId);
        RevertStore.Reverted reverted = s.reverts().revert(districtId, target.runId(), runId);
        // a host's manual memberships are not restored: they follow the classes and accounts the revert restored
        s.manual().follow(districtId, runId);
        // the reverted rows no longer follow the decisions stored for their records: the next full run decides every record
        s.runs().setDecidedUnder(districtId, null);
        Set<String> sections = reverted.sections();
        Set<String> users = reverted.users();
        if (sections.size() + users.size() > CHANGED_BEFORE_WHOLE_DISTRICT) {
            s.provisioning().deriveFromMemberships(districtId);
        } else {
            s.provisioning().deriveFromMemberships(districtId, sections, users, users);
        }
        RunTally tally = new RunTally();
        long membershipsDeactivated = 0;
        for (RevertStore.RowChange c : reverted.changes()) {
            tally.change(RecordKind.DISTRICT, c.id(), c.change().name());
            if (c.entity().equals(RevertStore.MEMBERSHIP)) {
                membershipsDeactivated += c.change() == ProvisionedChange.DEACTIVATED ? 1 : 0;
                continue;
            }
            RecordKind kind = kindOf(c.entity());
            tally.add(kind, switch (c.change()) {
                case DEACTIVATED -> Counter.DEACTIVATED;
                case REACTIVATED -> Counter.REACTIVATED;
                default -> Counter.UPDATED;
            }, 1);
        }
        List<WarningRow> warnings = new ArrayList<>();
        for (RevertStore.NotRestored n : reverted.notRestored()) {
            boolean membership = n.entity().equals(RevertStore.MEMBERSHIP);
            String[] key = n.key().split("/");
            warnings.add(new WarningRow(runId, membership ? RecordKind.SECTION : kindOf(n.entity()), key[0], "NOT_RESTORED",
                    membership ? "membership " + key[1] + "/" + key[2] : null,
                    (membership ? "membership of " + key[1] + " (" + key[2] + ")" : n.entity() + " " + n.key())
                            + " not restored: " + n.reason(), "engine:revert"));
        }
        s.runs().addWarnings(districtId, warnings);
        tally.warnings(warnings.size());
        String guard = guard(tally, before.byKind(), before.memberships(), membershipsDeactivated, policies);
        String fingerprint = tally.fingerprint();
        boolean approved = guard != null && fingerprint.equals(approvedFingerprint);
        if (guard != null && approvedFingerprint != null && !approved) {
            guard = guard + "; the store changed since revert " + approvedRunId + " was halted, so that approval does not cover"
                    + " this revert: review it and approve this run instead";
        }
        SyncStatus status = guard != null && !approved ? SyncStatus.HALTED
                : warnings.isEmpty() ? SyncStatus.SUCCEEDED : SyncStatus.SUCCEEDED_WITH_WARNINGS;
        SyncReport report = new SyncReport(runId, districtId, null, SyncMode.REVERT, status, started, Instant.now(), tally.kindCounts(),
                tally.warnings(), 0, Map.of(), Map.of(), status == SyncStatus.HALTED ? guard : approved ? "approved: " + guard : null,
                null, fingerprint, null).withPlugins(plugins.loaded(), plugins.refused());
        if (status == SyncStatus.HALTED) {
            throw new Halt(report, json(report, target.runId()));
        }
        return report;
    }

    /** P23 for a revert: taking back what a run created or reactivated deactivates, and the same shares apply. */
    private static String guard(RunTally tally, Map<RecordKind, Integer> activeBefore, long membershipsBefore, long membershipsDeactivated,
                                Policies policies) {
        List<SafetyGuard.KindCheck> checks = new ArrayList<>();
        checks.add(check(tally, RecordKind.USER, "accounts", "safety.max_deactivation_ratio", activeBefore));
        checks.add(check(tally, RecordKind.SECTION, "classes", "safety.max_deactivation_ratio.classes", activeBefore));
        boolean fewClasses = activeBefore.getOrDefault(RecordKind.SECTION, 0) < SafetyGuard.MIN_ACTIVE;
        checks.add(new SafetyGuard.KindCheck("sections", "memberships", "safety.max_deactivation_ratio.memberships",
                fewClasses ? 0 : membershipsBefore, membershipsDeactivated, false));
        checks.add(check(tally, RecordKind.TERM, "terms", "safety.max_deactivation_ratio.terms", activeBefore));
        checks.add(check(tally, RecordKind.SCHOOL, "schools", "safety.max_deactivation_ratio.schools", activeBefore));
        checks.add(check(tally, RecordKind.COURSE, "courses", "safety.max_deactivation_ratio.courses", activeBefore));
        String why = SafetyGuard.check(checks, false, policies);
        return why == null ? null : "reverting " + why.replace("this run would", "would");
    }

    private static SafetyGuard.KindCheck check(RunTally tally, RecordKind kind, String noun, String policyKey,
                                               Map<RecordKind, Integer> activeBefore) {
        return new SafetyGuard.KindCheck(kind.path(), noun, policyKey, activeBefore.getOrDefault(kind, 0),
                tally.get(kind, Counter.DEACTIVATED), false);
    }

    private static RecordKind kindOf(String label) {
        for (RecordKind k : RecordKind.values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new IllegalStateException("unknown kind " + label);
    }

    private static String json(SyncReport r, String targetRunId) {
        ObjectNode tree = ReportJson.toTree(r);
        tree.put(REVERT_OF, targetRunId);
        return tree.toString();
    }

    private static Void record(StoreSession s, SyncReport r, String json) {
        s.runs().recordRun(new RunRow(r.runId(), r.districtId(), r.mode().label(), r.status().name(),
                LocalDateTime.ofInstant(r.startedAt(), ZoneOffset.UTC), LocalDateTime.ofInstant(r.finishedAt(), ZoneOffset.UTC),
                r.rulesHash(), json, (int) r.warnings(), (int) r.errors()));
        return null;
    }
}
