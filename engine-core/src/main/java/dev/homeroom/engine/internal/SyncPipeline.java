package dev.homeroom.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.Stage;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.engine.internal.RunTally.Counter;
import dev.homeroom.engine.internal.clever.CleverClient;
import dev.homeroom.engine.internal.clever.FetchedRecord;
import dev.homeroom.engine.internal.clever.PageSink;
import dev.homeroom.engine.internal.clever.RecordProblem;
import dev.homeroom.rules.Decisions;
import dev.homeroom.rules.RuleSet;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.CleverEvent;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.Course;
import dev.homeroom.spi.CourseFact;
import dev.homeroom.spi.District;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.DuplicateOf;
import dev.homeroom.spi.HomeroomException;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RecordTransformer;
import dev.homeroom.spi.School;
import dev.homeroom.spi.SchoolFact;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.SectionFact;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.TermFact;
import dev.homeroom.spi.User;
import dev.homeroom.spi.UserFact;
import dev.homeroom.store.StoredText;
import dev.homeroom.store.FactRow;
import dev.homeroom.store.PageDiff;
import dev.homeroom.store.Provisioned;
import dev.homeroom.store.ProvisionedChange;
import dev.homeroom.store.RunRow;
import dev.homeroom.store.SectionEnrollment;
import dev.homeroom.store.ShadowRecord;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreSession;
import dev.homeroom.store.WarningRow;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: fetch → shadow → derive → decide → plan → guard → apply (ARCHITECTURE.md). Everything a run writes goes
 * into one store transaction, so a crash or a halt leaves the previous state intact; a dry run rolls it back on purpose.
 */
public final class SyncPipeline {
    private static final Logger log = LoggerFactory.getLogger(SyncPipeline.class);
    /** Kinds in fetch order: what sections point at comes first. */
    static final List<RecordKind> FETCH_ORDER = List.of(RecordKind.SCHOOL, RecordKind.TERM, RecordKind.COURSE, RecordKind.SECTION, RecordKind.USER);
    /** Kinds in decide order: accounts before classes, so memberships see both. */
    static final List<RecordKind> DECIDE_ORDER = List.of(RecordKind.SCHOOL, RecordKind.TERM, RecordKind.COURSE, RecordKind.USER, RecordKind.SECTION);
    /** How often (in pages) a full fetch refreshes PostgreSQL's statistics of the growing shadow. */
    private static final int STATISTICS_EVERY_PAGES = 25;
    /** Decisions written since the last refresh of PostgreSQL's statistics worth another one (a re-sync writes none). */
    private static final int STATISTICS_AFTER_ROWS = 5_000;
    /**
     * Up to this many changed sections and users, memberships and derived values are brought up to date for those
     * alone; beyond it (a first run), for the whole district in a few statements.
     */
    private static final int CHANGED_BEFORE_WHOLE_DISTRICT = 50_000;
    /** Part of every run's rules hash: a new engine may decide differently, so its first full run decides every record. */
    private static final String ENGINE_VERSION = java.util.Objects.requireNonNullElse(
            SyncPipeline.class.getPackage().getImplementationVersion(), "development");
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
    private static final class Halt extends RuntimeException {
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
            Run run = new Run(runId, started, district, active, ruleSet, policies, request);
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

    private static long millisSince(long nanoStart) {
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

    /** The state of one run while it executes inside its transaction. */
    private final class Run {
        final String runId;
        final Instant started;
        final District district;
        final List<DistrictPlugin> active;
        final RuleSet ruleSet;
        final Policies policies;
        final Request request;
        final RunTally tally = new RunTally();
        final StageClock stages = new StageClock();
        /**
         * Per kind, the records to decide: those the events (or, in a full run, the fetched pages) changed, and those
         * whose facts change with them. Null when the run decides every record: a full run under rules other than those
         * every record stands decided under ({@code district.decided_under}), or one that changed too many records.
         */
        Map<RecordKind, Set<String>> dirty;
        /** A full run that decides only what changed: what it did not decide is counted from the stored outcomes. */
        boolean fullDecidingChanges;
        private String rulesHash;
        /**
         * Sections and users whose provisioned rows or enrollments changed in this run: the only derived values (class
         * grades, default classes) that can change.
         */
        final ChangeScope changed = new ChangeScope();
        /**
         * The narrower set whose memberships can change: sections whose enrollments changed or whose class was created,
         * reactivated or deactivated, users whose accounts were, or whose flags or primary school changed.
         */
        final ChangeScope membershipsChanged = new ChangeScope();
        /** Users that enrollment rows written or removed by this incremental run name (what can newly point nowhere). */
        final Set<String> enrollmentUsers = new HashSet<>();
        /** Users whose account kept its memberships but changed grade: with membershipsChanged, what moves class grades. */
        final Set<String> gradesChanged = new HashSet<>();
        /** What a full run's changed records touched before the fetch changed them, until {@link #fetchedChanges} takes it. */
        final Map<String, dev.homeroom.store.ShadowStore.NeighbourRow> touchedBefore = new java.util.HashMap<>();
        /** What the changed records' changes touched (see {@link dev.homeroom.store.ShadowStore#changedBetween}). */
        final dev.homeroom.store.ShadowStore.Neighbours touchedByEvents = dev.homeroom.store.ShadowStore.Neighbours.none();
        final Map<DistrictPlugin, List<RecordTransformer>> transformers = new java.util.LinkedHashMap<>();
        final List<WarningRow> pendingWarnings = new ArrayList<>();
        final PluginFillers fillers;
        final PluginSupplemental supplemental;
        final Map<String, String> pluginOfRule = new java.util.HashMap<>();
        /** The first changes of the run, one per record, as many as the request lists ({@link #plan}); and how many in all. */
        final List<dev.homeroom.engine.RecordChange> listedChanges = new ArrayList<>();
        long changeCount;
        /** The schools the district shares, read when users are first decided (a user's schools are checked against them). */
        Set<String> sharedSchools;
        /** Users that went away in this run: one Clever re-created under a new id is followed there (P17 users.reissued_id). */
        final Set<String> goneUsers = new HashSet<>();
        /** Whether events created, changed or removed a school or course (what a section's references can point at). */
        boolean schoolsOrCoursesChanged;
        /** Under sync.strategy=MANUAL, the changes of a plan that waits for a person, saved with the halted or planned run. */
        List<dev.homeroom.store.RevertStore.RowChange> plannedChanges = List.of();
        /** Under MANUAL, the rule and reason behind each changed record ("kind|id"), for the plan's list of changes. */
        final Map<String, String[]> whyChanged = new java.util.HashMap<>();
        final boolean manual;

        /** The rule and reason behind a planned change; a membership follows its class and account and has none. */
        String[] why(dev.homeroom.store.RevertStore.RowChange change) {
            return whyChanged.get(change.entity() + "|" + recordOf(change));
        }

        private String recordOf(dev.homeroom.store.RevertStore.RowChange change) {
            String key = change.key();
            return "user".equals(change.entity()) && key.indexOf('/') > 0 ? key.substring(0, key.indexOf('/')) : key;
        }

        /**
         * The stored decision's rule and reason for the planned changes this run did not decide again (a record whose
         * values changed while its decision did not): that decision is what the change applies under.
         */
        void storedWhy(dev.homeroom.store.StoreSession s) {
            Map<RecordKind, Set<String>> missing = new java.util.EnumMap<>(RecordKind.class);
            for (var change : plannedChanges) {
                if (!"membership".equals(change.entity()) && why(change) == null) {
                    java.util.Arrays.stream(RecordKind.values()).filter(k -> k.label().equals(change.entity())).findFirst()
                            .ifPresent(k -> missing.computeIfAbsent(k, x -> new HashSet<>()).add(recordOf(change)));
                }
            }
            missing.forEach((kind, ids) -> s.decisions().outcomeRules(districtId(), kind, ids)
                    .forEach((id, rr) -> whyChanged.put(kind.label() + "|" + id, rr)));
        }

        Run(String runId, Instant started, District district, List<DistrictPlugin> active, RuleSet ruleSet, Policies policies,
            Request request) {
            this.runId = runId;
            this.started = started;
            this.district = district;
            this.active = active;
            this.ruleSet = ruleSet;
            this.policies = policies;
            this.request = request;
            this.manual = policies.is("sync.strategy", "MANUAL");
            for (var rule : ruleSet.rules()) {
                if (rule.file() != null && rule.file().startsWith("plugin:") && rule.file().indexOf('/') > 0) {
                    pluginOfRule.put(rule.id(), rule.file().substring("plugin:".length(), rule.file().indexOf('/')));
                }
            }
            try {
                this.fillers = PluginFillers.of(active);
                this.supplemental = PluginSupplemental.of(active);
            } catch (dev.homeroom.engine.PluginException e) {
                throw new dev.homeroom.engine.PluginException(e.code(), e.code() + " " + e.getMessage(), e);
            }
        }

        String districtId() {
            return district.id();
        }

        SyncReport execute(StoreSession s, CleverClient client) {
            if (!s.runs().claimDistrict(districtId())) {
                throw new HomeroomException("HR-SYNC-409", "district " + districtId() + " is being synced by another run right now"
                        + " (another instance or thread); nothing was done, try again when it has finished", true, null);
            }
            s.planEachStatement();
            s.runs().ensureDistrict(districtId(), district.name());
            s.runs().insertRun(runId, districtId(), request.mode().label(), "RUNNING", LocalDateTime.ofInstant(started, ZoneOffset.UTC));
            Map<RecordKind, Integer> activeBefore = new java.util.EnumMap<>(RecordKind.class);
            for (RecordKind kind : DECIDE_ORDER) {
                activeBefore.put(kind, s.provisioning().activeCount(districtId(), kind));
            }
            long activeMembershipsBefore = s.provisioning().activeMembershipCount(districtId());
            String cursor = s.runs().eventCursor(districtId()).orElse(null);
            String newCursor = null;
            boolean full = request.mode() == SyncMode.FULL || cursor == null;
            if (!full) {
                dirty = new java.util.EnumMap<>(RecordKind.class);
                long t0 = System.nanoTime();
                try {
                    var fetch = client.fetchEvents(cursor.isEmpty() ? null : cursor, Set.copyOf(FETCH_ORDER), (events, problems) -> {
                        long p0 = System.nanoTime();
                        events(s, events, problems);
                        stages.add(Stage.SHADOW, System.nanoTime() - p0);
                    });
                    stages.add(Stage.FETCH, System.nanoTime() - t0 - stages.nanos(Stage.SHADOW));
                    newCursor = fetch.cursor() == null ? cursor : fetch.cursor();
                    log.info("HR-SYNC-105 applied {} events after cursor '{}' in {} ms; cursor now '{}'", fetch.events(), cursor,
                            millisSince(t0), newCursor);
                } catch (dev.homeroom.engine.internal.clever.CleverApiException e) {
                    if (e.retriable() || (e.httpStatus() != 400 && e.httpStatus() != 404)) {
                        throw e;
                    }
                    // the feed no longer holds the cursor (Clever keeps events 30 days): take a full snapshot instead
                    log.warn("HR-SYNC-107 Clever refused the event cursor '{}' ({}); taking a full snapshot instead", cursor, e.getMessage());
                    full = true;
                    dirty = null;
                    cursor = null;
                }
            }
            if (request.mode() == SyncMode.INCREMENTAL && cursor == null) {
                // the first incremental run takes a full snapshot; events from the end of the feed as it is now are
                // applied by the next run (an event that lands during the snapshot is applied twice: harmless)
                var end = client.fetchEvents(null, Set.of(), (events, problems) -> { });
                newCursor = end.cursor() == null ? "" : end.cursor();
                log.info("HR-SYNC-104 no event cursor for district {}: full snapshot, events from {} on", districtId(), newCursor);
            }
            String decidedUnder = s.runs().decidedUnder(districtId()).orElse(null);
            if (full) {
                // every record stands decided under these very rules: decide only what the fetch finds changed, as events would
                fullDecidingChanges = policies.is("sync.full_run_decides", "CHANGED") && rulesHash().equals(decidedUnder);
                dirty = fullDecidingChanges ? new java.util.EnumMap<>(RecordKind.class) : null;
                for (RecordKind kind : FETCH_ORDER) {
                    long t0 = System.nanoTime();
                    var collection = s.shadow().collection(districtId(), runId, kind).beforeChanging(ids -> {
                        if (dirty != null) {
                            touchedBefore.putAll(s.shadow().neighbours(districtId(), kind, ids)); // what they touched before
                        }
                    });
                    int[] pages = {0};
                    long shadowBefore = stages.nanos(Stage.SHADOW);
                    // a kind's first fetch stores every record: its JSON is packed for the shadow on the thread that reads
                    // the pages ahead, beside the engine storing the page before (a later fetch stores only what changed)
                    boolean packAhead = !s.shadow().holdsAny(districtId(), kind);
                    var stats = client.fetchAll(kind, new PageSink() {
                        @Override
                        public void page(RecordKind k, List<FetchedRecord> records, List<RecordProblem> problems) {
                            long p0 = System.nanoTime();
                            Run.this.page(s, collection, k, records, problems, Map.of());
                            if (++pages[0] % STATISTICS_EVERY_PAGES == 0) {
                                s.refreshStatistics(); // the shadow grows page by page: keep PostgreSQL's plans on real sizes
                            }
                            stages.add(Stage.SHADOW, System.nanoTime() - p0);
                        }

                        @Override
                        public FetchedRecord prepare(RecordKind k, FetchedRecord record) {
                            return packAhead ? record.withPackedJson(ShadowRecord.pack(record.json())) : record;
                        }
                    });
                    stages.add(Stage.FETCH, System.nanoTime() - t0 - (stages.nanos(Stage.SHADOW) - shadowBefore));
                    long g0 = System.nanoTime();
                    List<String> goneIds = collection.finish();
                    int gone = goneIds.size();
                    if (kind == RecordKind.SECTION) {
                        changed.add(RecordKind.SECTION, goneIds); // their enrollments went with them
                        membershipsChanged.add(RecordKind.SECTION, goneIds);
                    } else if (kind == RecordKind.USER) {
                        goneUsers.addAll(goneIds);
                    }
                    fetchedChanges(s, kind, goneIds);
                    s.refreshStatistics();
                    stages.add(Stage.DERIVE, System.nanoTime() - g0);
                    log.info("HR-SYNC-101 fetched {} {} in {} pages, {} requests, {} retries, {} gone, {} ms", stats.records(), kind.path(),
                            stats.pages(), stats.requests(), stats.retries(), gone, millisSince(t0));
                }
            }
            long d0 = System.nanoTime(); // (a full fetch refreshed PostgreSQL's statistics kind by kind; events change little)
            // an incremental run checks what its events changed: the school and course of the sections they changed, and
            // the enrollments of the users their new or removed enrollment rows name and of the users they took away (a
            // school or course that came or went changes what a reference can point at: then the whole district, as when
            // those users are a fifth of the district's, which one pass over the district checks faster than id by id)
            Set<String> changedSections = dirty == null ? Set.of() : dirty.getOrDefault(RecordKind.SECTION, Set.of());
            Set<String> checkedUsers = new HashSet<>(goneUsers);
            checkedUsers.addAll(enrollmentUsers);
            boolean wholeDistrict = full || schoolsOrCoursesChanged
                    || checkedUsers.size() * 5L > activeBefore.getOrDefault(RecordKind.USER, 0);
            var dangling = wholeDistrict ? s.derive().danglingReferences(districtId())
                    : s.derive().danglingReferencesOf(districtId(), changedSections, checkedUsers);
            for (var ref : dangling) {
                // provisioned as sent (Clever may share the target later), but the host should know it points nowhere
                pendingWarnings.add(new WarningRow(runId, ref.kind(), ref.cleverId(), "UNKNOWN_REFERENCE", ref.field(),
                        ref.kind().label() + " " + ref.field() + " points at " + ref.targetKind().label() + " " + ref.target()
                                + ", which Clever does not share", "engine:derive"));
                tally.warnings(1);
            }
            stages.add(Stage.DERIVE, System.nanoTime() - d0);
            // supplemental rows that changed change their users' facts: decided again (before the undecided are counted)
            if (!supplemental.isEmpty()) {
                long l0 = System.nanoTime();
                Set<String> changedRows = supplemental.load(s, districtId(), runId, plugins, dirty != null, w -> {
                    pendingWarnings.add(w);
                    tally.warnings(1);
                });
                if (dirty != null) {
                    dirty.computeIfAbsent(RecordKind.USER, k -> new HashSet<>()).addAll(changedRows); // their facts changed
                }
                flushWarnings(s);
                stages.add(Stage.DERIVE, System.nanoTime() - l0);
            }
            long n0 = System.nanoTime();
            if (dirty != null) {
                addNeighbours(s);
                if (fullDecidingChanges) {
                    countUndecided(s);
                }
            } else {
                // a full run decides every record anyway; memberships of the records taken up again are brought up to date
                s.edits().takeDecideAgain(districtId()).forEach((kind, ids) -> {
                    changed.add(kind, ids);
                    membershipsChanged.add(kind, ids);
                });
            }
            if (!goneUsers.isEmpty()) {
                List<WarningRow> reissued = ReissuedIds.follow(s, districtId(), runId, goneUsers, policies);
                pendingWarnings.addAll(reissued);
                tally.warnings(reissued.size());
            }
            stages.add(Stage.DERIVE, System.nanoTime() - n0);
            for (RecordKind kind : DECIDE_ORDER) {
                long t0 = System.nanoTime();
                decide(s, kind);
                log.info("HR-SYNC-102 decided and applied {} in {} ms", kind.path(), millisSince(t0));
                KindCounts counts = tally.kindCounts().getOrDefault(kind.path(), KindCounts.ZERO);
                for (SyncListener l : settings.listeners()) {
                    l.kindDecided(kind, counts);
                }
            }
            long t0 = System.nanoTime();
            // memberships change only with a section's enrollments or class, or a user's accounts: what changed, not all
            // that was decided (an incremental run decides every member of a changed section, to recount their classes)
            if (membershipsChanged.wholeDistrict() || changed.wholeDistrict()) {
                s.refreshStatistics(); // many rows changed: plan the district-wide statements on real sizes
            }
            int[] memberships = membershipsChanged.wholeDistrict() ? s.provisioning().syncMemberships(districtId(), runId)
                    : s.provisioning().syncMemberships(districtId(), runId, membershipsChanged.checkedSections(), membershipsChanged.users(),
                            membershipsChanged.members());
            log.info("HR-SYNC-103 memberships: {} created, {} reactivated, {} deactivated in {} ms", memberships[0], memberships[1],
                    memberships[2], millisSince(t0));
            // a host's manual memberships follow their classes and accounts, never Clever's enrollments; not guarded (P23)
            int manualFollowed = s.manual().follow(districtId(), runId);
            if (manualFollowed > 0) {
                log.info("HR-MANUAL-101 {} manual memberships followed their class or accounts", manualFollowed);
            }
            long t1 = System.nanoTime();
            Map<String, ProvisionedChange> selfCourses = Map.of();
            // self-generated courses (P13) exist only under SELF_COURSE, and are taken back after it: no other run reads
            // the accounts and memberships for them (1.8 s of a 10,000-event run at 100k)
            boolean selfCoursesInPlay = policies.is("students.multi_class", "SELF_COURSE") || s.selfCourses().anyActive(districtId());
            if (changed.wholeDistrict() || membershipsChanged.wholeDistrict()) {
                s.provisioning().deriveFromMemberships(districtId());
                if (selfCoursesInPlay) {
                    selfCourses = s.selfCourses().derive(districtId(), runId);
                }
            } else {
                // a class's grade follows its members and their grades: the classes of users whose accounts came, went or
                // changed grade (not of every changed user: a new name moves no grade); a default class follows
                // memberships and flags
                Set<String> gradeUsers = new HashSet<>(gradesChanged);
                gradeUsers.addAll(membershipsChanged.users());
                s.provisioning().deriveClassGrades(districtId(), membershipsChanged.sections(), gradeUsers);
                s.provisioning().deriveDefaultClasses(districtId(), membershipsChanged.sections(), membershipsChanged.users());
                // a self-generated course (P13) follows memberships, flags and the student's name
                if (selfCoursesInPlay) {
                    Set<String> courseUsers = new HashSet<>(changed.users());
                    courseUsers.addAll(membershipsChanged.users());
                    selfCourses = s.selfCourses().derive(districtId(), runId, membershipsChanged.sections(), courseUsers);
                }
            }
            Map<String, String> selfCourseHashes = selfCourses.isEmpty() ? Map.of() : s.provisioning().lastValueHashes();
            selfCourses.forEach((key, change) -> {
                if (change != ProvisionedChange.UNCHANGED && change != ProvisionedChange.NONE) {
                    // in the plan's fingerprint like any change; not in the courses' counts and share, which are Clever's
                    tally.change(RecordKind.COURSE, key, change.name() + "|" + selfCourseHashes.getOrDefault(key, ""));
                    changeCount++;
                }
            });
            log.info("HR-SYNC-106 derived class grades and default classes in {} ms", millisSince(t1));
            flushWarnings(s);
            stages.add(Stage.APPLY, System.nanoTime() - t0);
            if (newCursor != null) {
                s.runs().setEventCursor(districtId(), newCursor); // committed with the changes it led to, never before
            }
            if (dirty == null) {
                s.runs().setDecidedUnder(districtId(), rulesHash()); // every record was decided under these rules
            } else if (!rulesHash().equals(decidedUnder)) {
                s.runs().setDecidedUnder(districtId(), null); // some under these, the rest under others: the next full run decides all
            }

            long guard0 = System.nanoTime();
            String guard = guard(activeBefore, activeMembershipsBefore, memberships[2], full);
            String fingerprint = tally.fingerprint();
            if (guard != null || request.approvedFingerprint() != null) {
                // what a person approves, or what an approval is checked against: memberships included
                fingerprint = fingerprint + "-m" + s.provisioning().membershipChangesDigest(districtId(), runId);
            }
            boolean approved = guard != null && request.approvedFingerprint() != null
                    && request.approvedFingerprint().equals(fingerprint);
            if (guard != null && request.approvedFingerprint() != null && !approved) {
                guard = guard + "; the data changed since run " + request.approvedRunId()
                        + " was halted, so that approval does not cover this plan: review it and approve this run instead";
            }
            String inPart = null;
            if (request.approvedChanges() != null) {
                ManualApproval.Outcome o = ManualApproval.apply(s, districtId(), runId, request.approvedRunId(), request.approvedChanges(), tally);
                s.manual().follow(districtId(), runId); // the classes and accounts taken back: manual memberships follow them
                approved = o.applies();
                inPart = o.note();
                if (!approved) {
                    guard = (guard == null ? "" : guard + "; ") + o.note();
                }
            } else if ((guard != null && !approved) || request.dryRun()) {
                // a halted or planned run lists its changes with their ids (to review them, and to approve some); a plan
                // too large to list is approved whole
                List<dev.homeroom.store.RevertStore.RowChange> listed = s.reverts().changesOf(districtId(), runId, ManualApproval.MAX_LISTED);
                plannedChanges = listed == null ? List.of() : listed;
                if (listed == null && guard != null) {
                    guard = guard + " (this plan has more than " + ManualApproval.MAX_LISTED + " changes: too many to list, approve it whole)";
                }
            }
            stages.add(Stage.PLAN, System.nanoTime() - guard0);
            SyncStatus status;
            if (guard != null && !approved) {
                status = SyncStatus.HALTED;
            } else if (request.dryRun()) {
                status = SyncStatus.PLANNED;
            } else {
                status = tally.warnings() + tally.errors() > 0 ? SyncStatus.SUCCEEDED_WITH_WARNINGS : SyncStatus.SUCCEEDED;
            }
            SyncReport report = new SyncReport(runId, districtId(), district.name(), request.mode(), status, started, Instant.now(),
                    tally.kindCounts(), tally.warnings(), tally.errors(), tally.skippedByRule(), tally.deactivatedByRule(),
                    status == SyncStatus.HALTED ? guard : inPart != null ? "approved in part: " + inPart : approved ? "approved: " + guard : guard,
                    rulesHash(), fingerprint, null).withPlugins(plugins.loaded(), plugins.refused());
            if (status == SyncStatus.HALTED && !request.dryRun()) {
                throw new Halt(report);
            }
            return report;
        }

        /**
         * What decided this run: the rule files' content hash combined with the policies in force for the district, the
         * school year the rules reckon with, the district's plugins (version and settings) and the engine's version.
         * Records whose facts did not change decide the same under the same hash, so a full run under the hash every
         * record stands decided under decides only what changed.
         */
        private String rulesHash() {
            if (rulesHash != null) {
                return rulesHash;
            }
            StringBuilder plugins = new StringBuilder();
            for (DistrictPlugin p : active) {
                plugins.append('|').append(p.name()).append('@').append(p.version())
                        .append(new java.util.TreeMap<>(settings.pluginSettings().getOrDefault(p.name(), Map.of())));
            }
            rulesHash = ShadowMapper.sha256(ruleSet.contentHash() + "|" + policies.asMap() + "|school year "
                    + dev.homeroom.rules.SchoolYear.endYear(policies) + plugins + "|engine " + ENGINE_VERSION);
            return rulesHash;
        }

        /**
         * P23: halt before applying when a run would deactivate too large a share of any provisioned kind (accounts,
         * classes, memberships, terms, schools, courses), or a full run got an empty collection that was not empty.
         */
        private String guard(Map<RecordKind, Integer> activeBefore, long activeMembershipsBefore, int membershipsDeactivated, boolean full) {
            if (policies.is("sync.strategy", "MANUAL")) {
                return "sync.strategy=MANUAL: every plan waits for a person to approve it, whole or change by change";
            }
            List<SafetyGuard.KindCheck> checks = new ArrayList<>();
            checks.add(check(RecordKind.USER, "accounts", "safety.max_deactivation_ratio", activeBefore));
            checks.add(check(RecordKind.SECTION, "classes", "safety.max_deactivation_ratio.classes", activeBefore));
            // memberships live in classes: a district with too few classes for the classes share has none for its memberships
            boolean fewClasses = activeBefore.getOrDefault(RecordKind.SECTION, 0) < SafetyGuard.MIN_ACTIVE;
            checks.add(new SafetyGuard.KindCheck("sections", "memberships", "safety.max_deactivation_ratio.memberships",
                    fewClasses ? 0 : activeMembershipsBefore, membershipsDeactivated, false));
            checks.add(check(RecordKind.TERM, "terms", "safety.max_deactivation_ratio.terms", activeBefore));
            checks.add(check(RecordKind.SCHOOL, "schools", "safety.max_deactivation_ratio.schools", activeBefore));
            checks.add(check(RecordKind.COURSE, "courses", "safety.max_deactivation_ratio.courses", activeBefore));
            return SafetyGuard.check(checks, full, policies);
        }

        private SafetyGuard.KindCheck check(RecordKind kind, String noun, String policyKey, Map<RecordKind, Integer> activeBefore) {
            return new SafetyGuard.KindCheck(kind.path(), noun, policyKey, activeBefore.getOrDefault(kind, 0),
                    tally.get(kind, Counter.DEACTIVATED), tally.get(kind, Counter.FETCHED) == 0);
        }

        /**
         * One page of records: of a whole collection when {@code collection} is given (a full run), else of events.
         * {@code known} holds what was read of their neighbours in this same step (their enrollments are not read
         * again); for events, returns the users each section it created or changed enrolls now (a full run: empty).
         */
        private Map<String, Set<String>> page(StoreSession s, dev.homeroom.store.ShadowStore.CollectionFetch collection, RecordKind kind,
                          List<FetchedRecord> records, List<RecordProblem> problems,
                          Map<String, dev.homeroom.store.ShadowStore.NeighbourRow> known) {
            List<ShadowRecord> shadows = new ArrayList<>(records.size());
            Map<String, Section> sections = new java.util.HashMap<>();
            Set<String> ids = new HashSet<>();
            List<String> keepAsTheyWere = new ArrayList<>();
            int bad = 0;
            for (RecordProblem p : problems) {
                problem(kind, p.cleverId(), "INVALID_RECORD", p.reason());
                if (ShadowMapper.validId(p.cleverId())) {
                    keepAsTheyWere.add(p.cleverId());
                }
                bad++;
            }
            for (FetchedRecord fetched : records) {
                CleverRecord record;
                List<PluginChanges.Change> pluginChanges = new ArrayList<>();
                try {
                    record = transform(fetched.record(), pluginChanges);
                } catch (RuntimeException e) {
                    problem(kind, fetched.record().id(), "PLUGIN_FAILED", e.getMessage());
                    if (ShadowMapper.validId(fetched.record().id())) {
                        keepAsTheyWere.add(fetched.record().id());
                    }
                    bad++;
                    continue;
                }
                if (record == null) {
                    continue;
                }
                if (!ShadowMapper.validId(record.id())) {
                    String id = record.id();
                    problem(kind, null, "INVALID_ID", id == null || id.isBlank()
                            ? "a " + kind.label() + " without an id was not stored"
                            : "a " + kind.label() + " with an over-long id (" + id.length() + " characters, starting '"
                                    + StoredText.storable(id.substring(0, Math.min(40, id.length()))) + "') was not stored");
                    bad++;
                    continue;
                }
                if (!ids.add(record.id())) {
                    problem(kind, record.id(), "DUPLICATE_ID", "the same " + kind.label() + " id came twice in one page; the first was kept");
                    bad++;
                    continue;
                }
                // the shadow keeps what Clever sent; the record as the plugins made it (what the rules decide) and what
                // each plugin changed sit beside it
                String pluginPayload = pluginChanges.isEmpty() ? null : RecordCodec.toJson(json, record);
                shadows.add(ShadowMapper.toShadow(record, fetched.json(), fetched.packedJson(), pluginPayload,
                        pluginChanges.isEmpty() ? null : PluginChanges.encode(json, pluginChanges)));
                if (record instanceof Section section) {
                    sections.put(section.id(), section);
                }
            }
            tally.add(kind, Counter.FETCHED, records.size() + problems.size());
            tally.add(kind, Counter.ERRORS, bad);
            PageDiff diff = collection != null ? collection.page(shadows, keepAsTheyWere) : s.shadow().applyPage(districtId(), runId, shadows);
            Map<String, Set<String>> enrolledNow = new java.util.HashMap<>();
            if (!sections.isEmpty()) {
                changed.add(RecordKind.SECTION, diff.created());
                changed.add(RecordKind.SECTION, diff.updated());
                List<SectionEnrollment> enrollments = new ArrayList<>();
                for (String id : diff.created()) {
                    enrollments.add(ShadowMapper.enrollment(sections.get(id)));
                }
                for (String id : diff.updated()) {
                    enrollments.add(ShadowMapper.enrollment(sections.get(id)));
                }
                var enrollmentChanges = s.shadow().replaceEnrollments(districtId(), enrollments, new HashSet<>(diff.created()), known);
                membershipsChanged.addEnrollments(enrollmentChanges);
                if (collection == null) {
                    // events: their reference check looks at these users, not at the whole district, and what the
                    // sections enroll now is known without reading it again
                    enrollmentChanges.members().forEach(member -> enrollmentUsers.add(member.get(1)));
                    for (SectionEnrollment e : enrollments) {
                        Set<String> users = new HashSet<>(e.students());
                        users.addAll(e.teachers());
                        enrolledNow.put(e.sectionId(), users);
                    }
                }
            }
            if (collection != null) { // after the enrollments: what the changed records touch now
                List<String> changedIds = new ArrayList<>(diff.created());
                changedIds.addAll(diff.updated());
                fetchedChanges(s, kind, changedIds);
            }
            if (pendingWarnings.size() > 5_000) {
                flushWarnings(s);
            }
            for (SyncListener l : settings.listeners()) {
                l.pageFetched(kind, records.size(), problems.size());
            }
            return enrolledNow;
        }

        /** One page of events: the last change of each record in the page wins; upserts go through {@link #page}. */
        private void events(StoreSession s, List<CleverEvent> events, List<RecordProblem> problems) {
            for (RecordProblem p : problems) {
                problem(p.kind() == null ? RecordKind.USER : p.kind(), p.cleverId(), "INVALID_EVENT", p.reason());
            }
            Map<String, CleverEvent> last = new java.util.LinkedHashMap<>();
            for (CleverEvent e : events) {
                String key = e.kind() + "/" + e.object().id();
                last.remove(key);
                last.put(key, e);
            }
            for (RecordKind kind : FETCH_ORDER) {
                List<FetchedRecord> upserts = new ArrayList<>();
                List<String> gone = new ArrayList<>();
                for (CleverEvent e : last.values()) {
                    if (e.kind() != kind) {
                        continue;
                    }
                    if (e.change() == Change.GONE) {
                        gone.add(e.object().id());
                    } else {
                        upserts.add(new FetchedRecord(e.object(), e.objectJson()));
                    }
                }
                List<String> named = new ArrayList<>(gone);
                upserts.forEach(u -> named.add(u.record().id()));
                named.removeIf(id -> !ShadowMapper.validId(id));
                schoolsOrCoursesChanged |= !named.isEmpty() && (kind == RecordKind.SCHOOL || kind == RecordKind.COURSE);
                var before = s.shadow().neighbours(districtId(), kind, named); // what they touched before
                // the users each section enrolls after the events, where known without reading them again: as before for
                // one that did not change, none for one that went, what was just written for one created or changed
                Map<String, Set<String>> enrolledNow = new java.util.HashMap<>();
                if (kind == RecordKind.SECTION) {
                    before.forEach((id, row) -> enrolledNow.put(id, row.enrolled()));
                    gone.forEach(id -> enrolledNow.put(id, Set.of()));
                }
                if (!upserts.isEmpty()) {
                    enrolledNow.putAll(page(s, null, kind, upserts, List.of(), before));
                }
                if (!gone.isEmpty()) {
                    s.shadow().markGone(districtId(), runId, kind, gone.stream().filter(ShadowMapper::validId).toList());
                    if (kind == RecordKind.USER) {
                        gone.stream().filter(ShadowMapper::validId).forEach(goneUsers::add);
                    }
                    changed.add(kind, gone); // a section that went away takes its enrollments along
                    membershipsChanged.add(kind, gone);
                    tally.add(kind, Counter.FETCHED, gone.size());
                }
                // and what they touch now: what differs is what their change touched
                touchedByEvents.addAll(dev.homeroom.store.ShadowStore.changedBetween(before,
                        s.shadow().neighbours(districtId(), kind, named, enrolledNow)));
                dirty.computeIfAbsent(kind, k -> new HashSet<>()).addAll(named);
            }
        }

        /**
         * In a full run that decides only what changed: these records of the page or collection changed, and what they
         * touch now has facts to decide again (what they touched before came through {@code beforeChanging}). Past a
         * bound the run decides every record instead.
         */
        private void fetchedChanges(StoreSession s, RecordKind kind, List<String> ids) {
            if (dirty == null || ids.isEmpty()) {
                return;
            }
            dirty.computeIfAbsent(kind, k -> new HashSet<>()).addAll(ids);
            Map<String, dev.homeroom.store.ShadowStore.NeighbourRow> before = new java.util.HashMap<>();
            for (String id : ids) {
                var row = touchedBefore.remove(id);
                if (row != null) {
                    before.put(id, row);
                }
            }
            touchedByEvents.addAll(dev.homeroom.store.ShadowStore.changedBetween(before, s.shadow().neighbours(districtId(), kind, ids)));
            if (dirty.values().stream().mapToInt(Set::size).sum() > CHANGED_BEFORE_WHOLE_DISTRICT) {
                log.info("HR-SYNC-108 more than {} records of district {} changed: deciding every record", CHANGED_BEFORE_WHOLE_DISTRICT,
                        districtId());
                dirty = null;
                fullDecidingChanges = false;
            }
        }

        /**
         * A full run that decides only what changed reports the rest as the store holds them: the records of each outcome
         * that it does not decide again (all the district's, less the ones it decides) count as they would have.
         */
        private void countUndecided(StoreSession s) {
            record Key(RecordKind kind, Outcome outcome, String ruleId) {}
            Map<Key, long[]> undecided = new java.util.HashMap<>();
            for (var c : s.decisions().outcomeCounts(districtId())) {
                long[] n = undecided.computeIfAbsent(new Key(c.kind(), c.outcome(), c.ruleId()), k -> new long[2]);
                n[0] += c.count();
                n[1] += c.warnings();
            }
            for (var e : dirty.entrySet()) {
                for (var c : s.decisions().outcomeCounts(districtId(), e.getKey(), e.getValue())) {
                    long[] n = undecided.computeIfAbsent(new Key(c.kind(), c.outcome(), c.ruleId()), k -> new long[2]);
                    n[0] -= c.count();
                    n[1] -= c.warnings();
                }
            }
            undecided.forEach((key, n) -> {
                tally.warnings(Math.max(0, n[1])); // their findings still stand (stored once, by the run that made them)
                if (n[0] <= 0) {
                    return;
                }
                switch (key.outcome()) {
                    case PROVISIONED -> tally.add(key.kind(), Counter.UNCHANGED, n[0]);
                    case SKIPPED -> {
                        tally.add(key.kind(), Counter.SKIPPED, n[0]);
                        tally.skippedBy(java.util.Objects.requireNonNullElse(key.ruleId(), "(rule not recorded)"), n[0]);
                    }
                    case ERROR -> {
                        tally.add(key.kind(), Counter.ERRORS, n[0]);
                        tally.errors(n[0]);
                    }
                    case DEACTIVATED -> { } // as a decided record whose rows are off already: not counted
                }
            });
        }

        /**
         * Before an incremental run decides: the records whose facts changed with the records its events changed. Users
         * a changed section enrolled before or enrolls now (their section counts and schools), users sharing an email or
         * SIS id a changed user had or has (duplicates), the terms and courses a changed section pointed or points at
         * (their section counts), the sections pointing at a changed term, course or teacher. One step suffices: facts
         * look no further than one record away. Records people changed beside Clever are decided again too.
         */
        private void addNeighbours(StoreSession s) {
            Set<String> changedUsers = Set.copyOf(dirty.getOrDefault(RecordKind.USER, Set.of()));
            // sections see a term's existence, a course's name and a primary teacher's name: those that changed themselves,
            // not the terms and courses whose section counts changed (that would be every section of the term again)
            Set<String> changedTerms = Set.copyOf(dirty.getOrDefault(RecordKind.TERM, Set.of()));
            Set<String> changedCourses = Set.copyOf(dirty.getOrDefault(RecordKind.COURSE, Set.of()));
            Set<String> users = dirty.computeIfAbsent(RecordKind.USER, k -> new HashSet<>());
            users.addAll(touchedByEvents.enrolledUsers());
            users.addAll(s.derive().usersWithKeys(districtId(), touchedByEvents.emailKeys(), touchedByEvents.sisIds()));
            Set<String> terms = dirty.computeIfAbsent(RecordKind.TERM, k -> new HashSet<>());
            terms.addAll(touchedByEvents.terms());
            Set<String> courses = dirty.computeIfAbsent(RecordKind.COURSE, k -> new HashSet<>());
            courses.addAll(touchedByEvents.courses());
            dirty.computeIfAbsent(RecordKind.SECTION, k -> new HashSet<>())
                    .addAll(s.derive().sectionsPointingAt(districtId(), changedTerms, changedCourses, changedUsers));
            s.edits().takeDecideAgain(districtId()).forEach((kind, ids) -> {
                dirty.computeIfAbsent(kind, k -> new HashSet<>()).addAll(ids);
                changed.add(kind, ids); // and their memberships (a MANUAL change held back comes back in the next plan)
                membershipsChanged.add(kind, ids);
            });
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

        /** The record as the district's plugins' transformers make it; what each changed is added to {@code changes}. */
        private CleverRecord transform(CleverRecord record, List<PluginChanges.Change> changes) {
            CleverRecord current = record;
            for (DistrictPlugin p : active) {
                List<RecordTransformer> own = transformers.computeIfAbsent(p, plugin -> {
                    try {
                        return List.copyOf(plugin.recordTransformers());
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("plugin '" + plugin.name() + "' failed to list its record transformers: " + e, e);
                    }
                });
                for (RecordTransformer t : own) {
                    if (current == null) {
                        return null;
                    }
                    CleverRecord before = current;
                    try {
                        if (current instanceof User u) {
                            current = t.transformUser(u);
                        } else if (current instanceof Section x) {
                            current = t.transformSection(x);
                        } else if (current instanceof Term x) {
                            current = t.transformTerm(x);
                        } else if (current instanceof Course x) {
                            current = t.transformCourse(x);
                        } else if (current instanceof School x) {
                            current = t.transformSchool(x);
                        }
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("plugin '" + p.name() + "' failed to transform it: " + e, e);
                    }
                    if (current != null && !current.equals(before)) {
                        changes.addAll(PluginChanges.diff(json, p.name(), before, current));
                    }
                }
            }
            return current;
        }

        private void problem(RecordKind kind, String cleverId, String code, String reason) {
            pendingWarnings.add(new WarningRow(runId, kind, cleverId, code, null, reason, "engine:fetch"));
            tally.errors(1);
        }

        private void flushWarnings(StoreSession s) {
            s.runs().addWarnings(districtId(), pendingWarnings);
            pendingWarnings.clear();
        }

        /**
         * Decides and applies every record of a kind, in batches of consecutive ids; an incremental run decides only
         * the records its events touched ({@link #dirty}), in batches of those ids.
         */
        private void decide(StoreSession s, RecordKind kind) {
            java.util.Iterator<List<String>> touched = dirty == null ? null
                    : chunks(new java.util.TreeSet<>(dirty.getOrDefault(kind, Set.of()))).iterator();
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
                    rows = s.derive().facts(districtId(), runId, kind, after, settings.decideBatchSize());
                } else {
                    rows = touched.hasNext() ? s.derive().factsOf(districtId(), runId, kind, touched.next()) : null;
                }
                long r0 = System.nanoTime();
                stages.add(Stage.DERIVE, r0 - f0);
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
                    CleverRecord record = RecordCodec.read(json, kind, row.payload());
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
                if (kind == RecordKind.USER && !supplemental.isEmpty()) {
                    joined = supplemental.forUsers(s, districtId(), rows.stream().map(FactRow::cleverId).toList());
                    joined.values().forEach(facts::addAll);
                }
                if (kind == RecordKind.SECTION && policies.is("sections.filter", "STAGING")) {
                    for (String id : s.edits().selectedSections(districtId(), rows.stream().map(FactRow::cleverId).toList())) {
                        facts.add(new dev.homeroom.spi.SectionSelection(id));
                    }
                }
                Decisions decisions = ruleSet.evaluate(facts, policies);
                if (!fillers.isEmpty(kind)) {
                    Set<String> gone = new HashSet<>();
                    rows.forEach(r -> { if (r.change() == Change.GONE) gone.add(r.cleverId()); });
                    Map<String, Map<String, Map<String, String>>> byPlugin = new java.util.HashMap<>();
                    joined.forEach((id, list) -> PluginSupplemental.byPlugin(list).forEach((plugin, values) ->
                            byPlugin.computeIfAbsent(plugin, k -> new java.util.HashMap<>()).put(id, values)));
                    decisions = fillers.apply(districtId(), kind, records, gone::contains, decisions,
                            plugin -> byPlugin.getOrDefault(plugin, Map.of()));
                }
                long p0 = System.nanoTime();
                stages.add(Stage.DECIDE, p0 - r0);
                Resolver.Index index = new Resolver.Index(decisions, kind);
                index.supplemental = joined;
                index.supplementalColumn = !supplemental.isEmpty();
                index.pluginOfRule = pluginOfRule;
                if (kind == RecordKind.USER && policies.is("users.multi_school", "PER_SCHOOL_ACCOUNTS")) {
                    index.perSchoolAccounts = true;
                    Map<String, List<String>> userSchools = new java.util.HashMap<>();
                    rows.forEach(r -> userSchools.put(r.cleverId(), r.schools().stream().filter(ShadowMapper::validId).toList()));
                    index.userSchools = userSchools;
                }
                if (kind == RecordKind.COURSE && policies.is("courses.per_school", "true")) {
                    index.perSchoolCourses = true;
                    Map<String, List<String>> courseSchools = new java.util.HashMap<>();
                    rows.forEach(r -> courseSchools.put(r.cleverId(), r.schools().stream().filter(ShadowMapper::validId).toList()));
                    index.courseSchools = courseSchools;
                }
                if (kind == RecordKind.USER) {
                    if (sharedSchools == null) {
                        sharedSchools = s.derive().sharedIds(districtId(), RecordKind.SCHOOL);
                    }
                    for (int i = 0; i < rows.size(); i++) {
                        if (rows.get(i).change() == Change.GONE) {
                            continue;
                        }
                        // part of the decision, so an unchanged user's finding is stored once, not every run
                        String id = rows.get(i).cleverId();
                        SchoolReferences.check((User) records.get(i), sharedSchools).ifPresent(w ->
                                index.warnings.computeIfAbsent(id, k -> new ArrayList<>()).add(w));
                    }
                }
                List<dev.homeroom.store.DecisionStore.Update> changedStates = new ArrayList<>();
                List<Provisioned> desired = new ArrayList<>();
                List<String> off = new ArrayList<>();
                Map<String, Outcome> outcomes = new java.util.HashMap<>();
                Map<String, String> winningRules = new java.util.HashMap<>();
                // only when a plugin's listener asked for every decision: otherwise nothing is built (a 1M-student run)
                List<dev.homeroom.spi.DecidedRecord> heard = plugins.pluginListeners().hearsDecisions() ? new ArrayList<>(rows.size()) : null;
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
                    if (request.listChanges() > listedChanges.size() || (manual && whyChanged.size() <= ManualApproval.MAX_LISTED)) {
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
                        tally.add(kind, Counter.ERRORS, 1);
                        tally.errors(1);
                        if (decisionChanged) {
                            pendingWarnings.add(new WarningRow(runId, kind, row.cleverId(), "HANDLED_ERROR", null, r.winner().reason(), r.winner().ruleId()));
                        }
                    }
                    for (var w : r.warnings()) {
                        if (decisionChanged) {
                            pendingWarnings.add(new WarningRow(runId, kind, row.cleverId(), w.code(), w.field(), w.message(), w.ruleId()));
                        }
                        tally.warnings(1);
                    }
                }
                if (heard != null) {
                    plugins.pluginListeners().batchDecided(kind, heard);
                }
                long a0 = System.nanoTime();
                stages.add(Stage.PLAN, a0 - p0);
                s.decisions().saveUpdates(districtId(), runId, changedStates);
                writtenSinceStatistics += changedStates.size();
                Map<String, ProvisionedChange> changes = s.provisioning().reconcile(districtId(), runId, kind, desired, off,
                        dev.homeroom.store.EditPolicy.forStrategy(policies.get("sync.strategy")),
                        touched == null ? new dev.homeroom.store.IdRange(rows.get(0).cleverId(), after) : null);
                for (var conflict : s.provisioning().drainEditConflicts()) {
                    // TWO_WAY: the person's edit stays; the host learns what Clever sent beside it
                    pendingWarnings.add(new WarningRow(runId, kind, conflict.cleverId(), "EDIT_CONFLICT", conflict.field(),
                            "kept the edited " + conflict.field() + " '" + conflict.kept() + "'; Clever now sends '" + conflict.cleverValue() + "'",
                            "engine:sync-strategy"));
                    tally.warnings(1);
                }
                count(kind, outcomes, winningRules, reasons, changes, s.provisioning().lastValueHashes());
                List<String> changedIds = new ArrayList<>();
                changes.forEach((key, change) -> {
                    if (change != ProvisionedChange.UNCHANGED && change != ProvisionedChange.NONE) {
                        changedIds.add(recordIdOf(key));
                    }
                });
                changed.add(kind, changedIds);
                membershipsChanged.add(kind, s.provisioning().lastMembershipChanges().stream().map(Run::recordIdOf).toList());
                s.provisioning().lastGradeChanges().forEach(key -> gradesChanged.add(recordIdOf(key)));
                flushWarnings(s);
                stages.add(Stage.APPLY, System.nanoTime() - a0);
                for (SyncListener l : settings.listeners()) {
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
                case USER -> new UserFact(districtId(), (User) record, row.change(), row.previousOutcome(), row.count1(), row.count2(),
                        row.schools(), row.flag1(), row.flag2());
                case SECTION -> new SectionFact(districtId(), (Section) record, row.change(), row.previousOutcome(), row.count1(),
                        row.count2(), row.flag1(), row.text1(), row.text2(), row.flag2());
                case TERM -> new TermFact(districtId(), (Term) record, row.change(), row.previousOutcome(), row.count1());
                case COURSE -> new CourseFact(districtId(), (Course) record, row.change(), row.previousOutcome(), row.count1());
                case SCHOOL -> new SchoolFact(districtId(), (School) record, row.change(), row.previousOutcome());
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
                tally.change(kind, key, e.getValue().name() + "|" + valueHashes.getOrDefault(key, ""));
            }
            for (var e : new java.util.TreeMap<>(outcomes).entrySet()) {
                ProvisionedChange c = perRecord.getOrDefault(e.getKey(), ProvisionedChange.NONE);
                Outcome outcome = e.getValue();
                if (c != ProvisionedChange.NONE && c != ProvisionedChange.UNCHANGED) {
                    changeCount++;
                    if (manual && whyChanged.size() <= ManualApproval.MAX_LISTED && winningRules.get(e.getKey()) != null) {
                        whyChanged.put(kind.label() + "|" + e.getKey(), new String[] {winningRules.get(e.getKey()), reasons.get(e.getKey())});
                    }
                    if (listedChanges.size() < request.listChanges()) {
                        // a role's account closed while another stays is an update of the record
                        String change = outcome == Outcome.PROVISIONED && c == ProvisionedChange.DEACTIVATED ? "UPDATED" : c.name();
                        listedChanges.add(new dev.homeroom.engine.RecordChange(kind.label(), e.getKey(), change,
                                winningRules.get(e.getKey()), reasons.get(e.getKey())));
                    }
                }
                if (outcome == Outcome.PROVISIONED) {
                    tally.add(kind, switch (c) {
                        case CREATED -> Counter.CREATED;
                        case REACTIVATED -> Counter.REACTIVATED;
                        case UPDATED, DEACTIVATED -> Counter.UPDATED; // a role's account closed while another stays: an update
                        default -> Counter.UNCHANGED;
                    }, 1);
                } else if (outcome == Outcome.SKIPPED && c != ProvisionedChange.DEACTIVATED) {
                    tally.add(kind, Counter.SKIPPED, 1);
                    tally.skippedBy(winningRules.get(e.getKey()));
                } else if (c == ProvisionedChange.DEACTIVATED) {
                    tally.add(kind, Counter.DEACTIVATED, 1);
                    tally.deactivatedBy(winningRules.get(e.getKey()));
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
    }

    /**
     * Sections and users a run changed in some respect, for the statements that follow them (memberships, derived
     * values); past {@value #CHANGED_BEFORE_WHOLE_DISTRICT} ids the whole district is cheaper, and the scope says so.
     */
    static final class ChangeScope {
        private Set<String> sections = new HashSet<>();
        private Set<String> users = new HashSet<>();
        /** The sections added by {@link #add}: changed otherwise than by their enrollments alone. */
        private Set<String> wholeSections = new HashSet<>();
        /** (section, user) whose enrollment rows came or went; null once too many to check one by one. */
        private Set<List<String>> members = new HashSet<>();

        void add(RecordKind kind, java.util.Collection<String> ids) {
            if (kind != RecordKind.SECTION && kind != RecordKind.USER || sections == null || ids.isEmpty()) {
                return;
            }
            (kind == RecordKind.SECTION ? sections : users).addAll(ids);
            if (kind == RecordKind.SECTION) {
                wholeSections.addAll(ids);
            }
            bound();
        }

        /** Sections whose enrollments changed, and the (section, user) whose enrollment rows came or went there. */
        void addEnrollments(dev.homeroom.store.ShadowStore.EnrollmentChanges changes) {
            if (sections == null || changes.sections().isEmpty()) {
                return;
            }
            sections.addAll(changes.sections());
            if (members != null && members.size() + changes.members().size() <= CHANGED_BEFORE_WHOLE_DISTRICT) {
                members.addAll(changes.members());
            } else {
                members = null; // too many to check one by one: every member of the changed sections is checked
            }
            bound();
        }

        private void bound() {
            if (sections.size() + users.size() > CHANGED_BEFORE_WHOLE_DISTRICT) {
                sections = null;
                users = null;
                wholeSections = null;
                members = null;
            }
        }

        boolean wholeDistrict() {
            return sections == null;
        }

        /** Every section that changed, by its enrollments or otherwise (what derived values follow). */
        Set<String> sections() {
            return sections;
        }

        /** The sections whose every membership is checked: all but those whose enrollments alone changed. */
        Set<String> checkedSections() {
            return members == null ? sections : wholeSections;
        }

        /** The (section, user) whose memberships are checked beside {@link #checkedSections} and {@link #users}. */
        Set<List<String>> members() {
            return members == null ? Set.of() : members;
        }

        Set<String> users() {
            return users;
        }
    }
}
