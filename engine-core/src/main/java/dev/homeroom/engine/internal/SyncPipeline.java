package dev.homeroom.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.Stage;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.engine.internal.clever.CleverClient;
import dev.homeroom.rules.RuleSet;
import dev.homeroom.spi.District;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.HomeroomException;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.RunRow;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreSession;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: fetch → shadow → derive → decide → plan → guard → apply (ARCHITECTURE.md). Everything a run writes goes
 * into one store transaction, so a crash or a halt leaves the previous state intact; a dry run rolls it back on purpose.
 * {@link Run#execute} reads as those steps in order; the steps live in {@link ShadowStep}, {@link EventStep},
 * {@link DecideStep} and {@link RunGuard}.
 */
public final class SyncPipeline {
    private static final Logger log = LoggerFactory.getLogger(SyncPipeline.class);
    /** Kinds in fetch order: what sections point at comes first. */
    static final List<RecordKind> FETCH_ORDER = List.of(RecordKind.SCHOOL, RecordKind.TERM, RecordKind.COURSE, RecordKind.SECTION, RecordKind.USER);
    /** Kinds in decide order: accounts before classes, so memberships see both. */
    static final List<RecordKind> DECIDE_ORDER = List.of(RecordKind.SCHOOL, RecordKind.TERM, RecordKind.COURSE, RecordKind.USER, RecordKind.SECTION);
    /**
     * Up to this many changed sections and users, memberships and derived values are brought up to date for those
     * alone; beyond it (a first run), for the whole district in a few statements.
     */
    static final int CHANGED_BEFORE_WHOLE_DISTRICT = 50_000;
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final RuleProvider rules;
    private final PluginRegistry plugins;
    private final CleverClients clients;
    private final EngineSettings settings;
    private final ObjectMapper json;

    public SyncPipeline(Store store, RuleProvider rules, PluginRegistry plugins, CleverClients clients, EngineSettings settings) {
        this.store = store;
        this.rules = rules;
        this.plugins = plugins;
        this.clients = clients;
        this.settings = plugins.withPluginListeners(settings); // plugins hear the runs of their own districts
        this.json = RecordCodec.mapper();
    }

    /** How a run should end: applied, dry run, or applied only if its plan is the one a person approved. */
    public record Request(SyncMode mode, boolean dryRun, String approvedFingerprint, String approvedRunId, int listChanges,
                          Set<String> approvedChanges) {
        /** A whole plan ({@code approvedChanges} null), no changes listed. */
        public Request(SyncMode mode, boolean dryRun, String approvedFingerprint, String approvedRunId) {
            this(mode, dryRun, approvedFingerprint, approvedRunId, 0, null);
        }

        /** A whole plan, listing its first {@code listChanges} changes. */
        public Request(SyncMode mode, boolean dryRun, String approvedFingerprint, String approvedRunId, int listChanges) {
            this(mode, dryRun, approvedFingerprint, approvedRunId, listChanges, null);
        }

        /** An approval of these changes of a MANUAL plan only. */
        public Request(SyncMode mode, boolean dryRun, String approvedFingerprint, String approvedRunId, Set<String> approvedChanges) {
            this(mode, dryRun, approvedFingerprint, approvedRunId, 0, approvedChanges);
        }
    }

    /** A dry run's report with the first changes it would make, one per record, and how many it would make in all. */
    public dev.homeroom.engine.Plan plan(Request request) {
        Run[] ran = new Run[1];
        SyncReport report = run(request, ran);
        return ran[0] == null ? new dev.homeroom.engine.Plan(report, List.of(), 0)
                : new dev.homeroom.engine.Plan(report, List.copyOf(ran[0].listedChanges), ran[0].changeCount);
    }

    /** Thrown inside the run's transaction to roll it back when a safety guard trips. */
    static final class Halt extends RuntimeException {
        final transient SyncReport report;

        Halt(SyncReport report) {
            super(report.guard(), null, false, false);
            this.report = report;
        }
    }

    /** A new run's id: its start time, then random digits. */
    static String newRunId(Instant started) {
        return "run-" + RUN_ID_TIME.format(started) + "-" + Long.toHexString(RANDOM.nextLong() & 0xffffffL);
    }

    public SyncReport run(Request request) {
        return run(request, new Run[1]);
    }

    private SyncReport run(Request request, Run[] ran) {
        Instant started = Instant.now();
        String runId = newRunId(started);
        String districtId = null;
        String districtName = null;
        // bad rules or policies are configuration errors: say so before contacting Clever
        rules.ruleSet(List.of(), message -> { });
        rules.basePolicies();
        try (CleverClient client = clients.open()) {
            District district = client.fetchDistrict();
            TokenBinding.check(store, settings, district); // a token that now sees another district is refused (issue 8.4)
            districtId = district.id();
            districtName = district.name();
            List<DistrictPlugin> active = plugins.forDistrict(districtId);
            RuleSet ruleSet = rules.ruleSet(active, plugins::refuseLater);
            Policies policies = rules.policies(districtId, active);
            Run run = new Run(runId, started, district, active, ruleSet, policies, request, settings, plugins, json);
            run.countActiveBeside(store);
            ran[0] = run;
            for (SyncListener l : settings.listeners()) {
                l.runStarted(runId, districtId, request.mode());
            }
            store.transaction(s -> {
                s.runs().registerDistrict(run.districtId(), district.name());
                return null;
            });
            SyncReport report;
            if (request.dryRun()) {
                SyncReport planned = store.rolledBack(s -> run.execute(s, client));
                store.transaction(s -> {
                    record(s, planned);
                    run.storedWhy(s);
                    s.reverts().savePlan(planned.districtId(), planned.runId(), run.plannedChanges, run::why);
                    return null;
                });
                report = planned;
            } else {
                try {
                    long[] commitStart = {0};
                    report = store.transaction(s -> {
                        SyncReport r = run.execute(s, client);
                        s.runs().finishRun(runId, r.status().name(), LocalDateTime.ofInstant(r.finishedAt(), ZoneOffset.UTC), r.rulesHash(),
                                ReportJson.toJson(r), (int) r.warnings(), (int) r.errors());
                        if (request.approvedRunId() != null) {
                            s.runs().setRunStatus(request.approvedRunId(), "APPROVED");
                        }
                        commitStart[0] = System.nanoTime();
                        return r;
                    });
                    run.stages.add(Stage.COMMIT, System.nanoTime() - commitStart[0]);
                } catch (Halt halt) {
                    report = halt.report;
                    SyncReport halted = report;
                    store.transaction(s -> {
                        record(s, halted);
                        run.storedWhy(s);
                        s.reverts().savePlan(halted.districtId(), halted.runId(), run.plannedChanges, run::why);
                        return null;
                    });
                    log.warn("HR-SYNC-300 run {} of district {} halted by a safety guard: {}", runId, districtId, report.guard());
                }
            }
            for (SyncListener l : settings.listeners()) {
                l.stagesTimed(runId, run.stages.durations());
            }
            finished(report);
            return report;
        } catch (ConfigurationException | dev.homeroom.rules.RulesException | dev.homeroom.rules.PolicyException e) {
            throw e;
        } catch (RuntimeException e) {
            boolean expected = e instanceof HomeroomException || e instanceof JsonFailure;
            String why = expected ? e.getMessage() : "internal error (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); nothing was applied; the log has the stack trace";
            SyncReport failed = new SyncReport(runId, districtId, districtName, request.mode(), SyncStatus.FAILED, started, Instant.now(),
                    new RunTally().kindCounts(), 0, 0, Map.of(), Map.of(), null, null, null, why)
                    .withFailureCode(e instanceof HomeroomException h ? h.code() : null).withPlugins(plugins.loaded(), plugins.refused());
            if (expected) {
                log.error("HR-SYNC-500 run {} failed: {}", runId, why);
            } else {
                log.error("HR-SYNC-502 run {} failed on a defect, not on the data: {}", runId, why, e);
            }
            if (districtId != null) {
                try {
                    store.transaction(s -> record(s, failed));
                } catch (HomeroomException storeDown) {
                    log.error("HR-SYNC-501 could not record failed run {}: {}", runId, storeDown.getMessage());
                }
            }
            finished(failed);
            return failed;
        }
    }

    static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }

    private void finished(SyncReport report) {
        for (SyncListener l : settings.listeners()) {
            l.runFinished(report);
        }
    }

    private static Void record(StoreSession s, SyncReport r) {
        s.runs().registerDistrict(r.districtId(), r.districtName()); // never waits on a run that holds the district's lock
        s.runs().recordRun(new RunRow(r.runId(), r.districtId(), r.mode().label(), r.status().name(),
                LocalDateTime.ofInstant(r.startedAt(), ZoneOffset.UTC), LocalDateTime.ofInstant(r.finishedAt(), ZoneOffset.UTC),
                r.rulesHash(), ReportJson.toJson(r), (int) r.warnings(), (int) r.errors()));
        return null;
    }

    /** A failure to read back a stored payload: the store holds what the client wrote, so this is a defect, not bad data. */
    static final class JsonFailure extends RuntimeException {
        JsonFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
