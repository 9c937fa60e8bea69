package dev.homeroom.engine;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.homeroom.engine.internal.CleverClients;
import dev.homeroom.engine.internal.EngineModule;
import dev.homeroom.engine.internal.EngineSettings;
import dev.homeroom.engine.internal.Explainer;
import dev.homeroom.engine.internal.HostDataSourceModule;
import dev.homeroom.engine.internal.PluginRegistry;
import dev.homeroom.engine.internal.ReportJson;
import dev.homeroom.engine.internal.RuleProvider;
import dev.homeroom.engine.internal.RunReverter;
import dev.homeroom.engine.internal.StoreModule;
import dev.homeroom.engine.internal.SyncPipeline;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.HomeroomException;
import dev.homeroom.store.RunRow;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.Vendor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * The Homeroom engine a host embeds: syncs one Clever district per token into its store, deciding every record with the
 * rule files and policies. Built once with {@link #builder()}, immutable, and {@link AutoCloseable}: it closes the store
 * it opened. Operations return reports; they throw only for bad configuration (a {@link ConfigurationException} or a
 * rules/policies error with a one-line message).
 *
 * <pre>{@code
 * try (SyncEngine engine = SyncEngine.builder()
 *         .token(System.getenv("CLEVER_TOKEN"))
 *         .store(StoreConfig.of("jdbc:postgresql://db/app", "app", secret))
 *         .build()) {
 *     SyncReport report = engine.sync(SyncMode.FULL);
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public final class SyncEngine implements AutoCloseable {
    static {
        // jOOQ prints a banner and a "tip of the day" into the host's log the first time it runs, unless these are set
        // before it loads; a host that wants them can set them to false itself
        quietUnlessSet("org.jooq.no-logo");
        quietUnlessSet("org.jooq.no-tips");
    }

    private static void quietUnlessSet(String property) {
        try {
            if (System.getProperty(property) == null) {
                System.setProperty(property, "true");
            }
        } catch (SecurityException e) {
            // a host that forbids it keeps jOOQ's defaults
        }
    }

    private final EngineSettings settings;
    private final Injector injector;
    /** The store once something needed it: commands that never touch it (rules check) never open it. */
    private final java.util.concurrent.atomic.AtomicReference<Store> opened = new java.util.concurrent.atomic.AtomicReference<>();

    private SyncEngine(EngineSettings settings, Module storeModule) {
        this.settings = settings;
        this.injector = Guice.createInjector(new EngineModule(settings), storeModule);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Syncs the token's district and applies the result, unless a safety guard halts it (status HALTED). */
    public SyncReport sync(SyncMode mode) {
        syncing(mode);
        return pipeline().run(new SyncPipeline.Request(mode, false, null, null));
    }

    /** A dry run: computes what a sync would change and whether a guard would halt it; applies nothing. */
    public SyncReport plan(SyncMode mode) {
        syncing(mode);
        return pipeline().run(new SyncPipeline.Request(mode, true, null, null));
    }

    /**
     * {@link #plan(SyncMode)}, listing the first {@code changes} records it would change with the rule and reason behind
     * each, and counting the rest.
     */
    public Plan plan(SyncMode mode, int changes) {
        if (changes < 0) {
            throw new ConfigurationException("HR-CONFIG-080", "the number of changes to list is " + changes + "; give 0 or more");
        }
        return pipeline().plan(new SyncPipeline.Request(mode, true, null, null, changes));
    }

    /**
     * Applies the plan of a run a safety guard halted. The run is computed again from Clever's current data; it is
     * applied only if its plan is exactly the halted one, otherwise it halts again and says so.
     */
    public SyncReport approve(String runId) {
        return approve(runId, (String) null);
    }

    /**
     * {@link #approve(String)}, recording {@code approver} (who the host says decided; null for {@value #UNNAMED}) with
     * the moment and the run it started ({@link #approvals}).
     */
    public SyncReport approve(String runId, String approver) {
        RunRow run = haltedRun(runId);
        SyncReport report = approveWhole(run, runId);
        recordApproval(run, approver, Approval.WHOLE, null, report);
        return report;
    }

    /** Who a decision names when the caller named no one. */
    public static final String UNNAMED = "(not named)";

    private void recordApproval(RunRow run, String approver, String decision, String changeIds, SyncReport report) {
        String who = approver == null || approver.isBlank() ? UNNAMED : approver.strip();
        store().transaction(s -> {
            s.approvals().record(run.districtId(), run.runId(), who.length() > 200 ? who.substring(0, 200) : who,
                    LocalDateTime.now(ZoneOffset.UTC), decision, changeIds, report == null ? null : report.runId(),
                    report == null ? null : report.status().name());
            return null;
        });
    }

    /** The decisions people took on these runs (halted runs, or the runs their approvals started), oldest first. */
    public List<Approval> approvals(String districtId, java.util.Collection<String> runIds) {
        return store().read(s -> s.approvals().of(districtId, List.copyOf(runIds))).stream()
                .map(a -> new Approval(a.runId(), a.districtId(), a.approver(), instant(a.decidedAt()), a.decision(),
                        a.changeIds() == null || a.changeIds().isEmpty() ? List.of() : List.of(a.changeIds().split(",")),
                        a.resultRunId(), a.resultStatus()))
                .toList();
    }

    /** The decisions people took on this run, or that started it, oldest first. */
    public List<Approval> approvals(String runId) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        return approvals(run.districtId(), List.of(runId));
    }

    private SyncReport approveWhole(RunRow run, String runId) {
        String fingerprint = ReportJson.field(run.report(), "planFingerprint");
        if (SyncMode.REVERT.label().equals(run.mode())) {
            return reverter().revert(ReportJson.field(run.report(), RunReverter.REVERT_OF), fingerprint, runId);
        }
        SyncMode mode = SyncMode.valueOf(run.mode().toUpperCase(java.util.Locale.ROOT));
        return pipeline().run(new SyncPipeline.Request(mode, false, fingerprint, runId));
    }

    /**
     * The changes of a halted or planned run (a sync a safety guard or {@code sync.strategy = MANUAL} halted, or a dry
     * run), each with its stable id, by entity and key. Empty for a run that recorded none (applied, or a plan of more
     * than 200,000 changes, which is approved whole).
     */
    public List<PlannedChange> plannedChanges(String runId) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        return store().read(s -> s.plans().all(run.districtId(), runId)).stream()
                .map(c -> new PlannedChange(c.changeId(), c.entity(), c.key(), c.change(), c.rule(), c.reason()))
                .toList();
    }

    /**
     * Applies some changes of a halted plan (under {@code sync.strategy = MANUAL}, or one a safety guard halted): those
     * {@code selection} names (by the ids of {@link #plannedChanges}), or all but those. The run is computed again from Clever's data; each approved
     * change must still be planned with the same id (the same values), or nothing is applied and it halts again. The
     * changes not approved are not applied: they stay pending and show in the next plan with the same ids. A membership
     * follows its class and account: one whose class or account change was not approved is held back with it.
     */
    public SyncReport approve(String runId, ChangeSelection selection) {
        return approve(runId, selection, null);
    }

    /** {@link #approve(String, ChangeSelection)}, recording {@code approver} and the change ids approved ({@link #approvals}). */
    public SyncReport approve(String runId, ChangeSelection selection, String approver) {
        RunRow run = haltedRun(runId);
        List<PlannedChange> planned = plannedChanges(runId);
        if (planned.isEmpty()) {
            throw new ConfigurationException("HR-CONFIG-093", "run " + runId + " has no list of changes (a plan of more than"
                    + " 200,000 changes is not listed): approve it whole, without --only or --except");
        }
        Set<String> known = new HashSet<>();
        planned.forEach(c -> known.add(c.id()));
        List<String> unknown = selection.ids().stream().filter(id -> !known.contains(id)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ConfigurationException("HR-CONFIG-094", "run " + runId + " planned no change " + String.join(", ", unknown)
                    + " (its changes and their ids: changes " + runId + ")");
        }
        Set<String> approved = new HashSet<>(selection.only() ? selection.ids() : known);
        if (!selection.only()) {
            approved.removeAll(selection.ids());
        }
        if (approved.isEmpty()) {
            throw new ConfigurationException("HR-CONFIG-095", "that approves none of the " + planned.size() + " changes of run " + runId
                    + ": name at least one to apply (--only ID…) or fewer to leave out (--except ID…)");
        }
        SyncMode mode = SyncMode.valueOf(run.mode().toUpperCase(java.util.Locale.ROOT));
        SyncReport report = pipeline().run(new SyncPipeline.Request(mode, false, null, runId, Set.copyOf(approved)));
        recordApproval(run, approver, Approval.SELECTED, String.join(",", new java.util.TreeSet<>(approved)), report);
        return report;
    }

    /**
     * A page of the changes of a plan made under {@code sync.strategy = MANUAL}, with the rule and reason behind each, in
     * entity and key order after the change {@code after} (null for the first page); {@code entity} ({@code user},
     * {@code section}, … {@code membership}) and {@code keyPrefix} (the start of a Clever id) narrow it (null for any).
     * At most 500.
     */
    public PlannedChangePage plannedChanges(String runId, String entity, String keyPrefix, String after, int limit) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        int n = Math.max(1, Math.min(limit, dev.homeroom.store.ConsoleQueries.MAX_PAGE));
        var rows = store().read(s -> s.plans().page(run.districtId(), runId, blankToNull(entity), blankToNull(keyPrefix), blankToNull(after), n + 1));
        var page = rows.subList(0, Math.min(n, rows.size())).stream()
                .map(c -> new PlannedChange(c.changeId(), c.entity(), c.key(), c.change(), c.rule(), c.reason())).toList();
        return new PlannedChangePage(page, rows.size() > n ? page.get(n - 1).id() : null);
    }

    /** How many changes a MANUAL plan holds per entity and kind of change; empty for a run that recorded none. */
    public List<PlannedChangeCount> plannedChangeCounts(String runId) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        return store().read(s -> s.plans().counts(run.districtId(), runId)).stream()
                .map(c -> new PlannedChangeCount(c.entity(), c.change(), c.count())).toList();
    }

    private RunRow haltedRun(String runId) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        if (!SyncStatus.HALTED.name().equals(run.status())) {
            throw new ConfigurationException("HR-CONFIG-021", "run " + runId + " is " + run.status() + ", not HALTED: nothing to approve");
        }
        return run;
    }

    /**
     * Reverts a run that was applied: as a new run (mode {@link SyncMode#REVERT}; journaled, in the outbox, explained),
     * every account, class, membership, term, school and course that run changed gets back the values and active flag it
     * had before; what the run created is deactivated (nothing is deleted). A record a later run changed again keeps the
     * later values: the revert lists each as a {@code NOT_RESTORED} warning with the run that changed it
     * ({@link #warnings}). Clever is not contacted. Like a sync, a revert that would deactivate more than the safety
     * guard allows halts until {@link #approve} is called with its run id. The next sync decides every record again from
     * Clever's data: a revert undoes what a run did, not the data or rules that made it do so.
     */
    public SyncReport revert(String runId) {
        return reverter().revert(runId, null, null);
    }

    /**
     * A host's own classes, students and memberships beside Clever's (P21 PARTIAL_LOCKDOWN, TWO_WAY, MANUAL): a sync
     * never changes or deactivates them; under SIS_LOCKDOWN every change is refused. See {@link ManualResources}.
     */
    public ManualResources manual() {
        return new dev.homeroom.engine.internal.ManualChanges(store(), injector.getInstance(RuleProvider.class),
                injector.getInstance(PluginRegistry.class));
    }

    private RunReverter reverter() {
        return new RunReverter(store(), injector.getInstance(RuleProvider.class), injector.getInstance(PluginRegistry.class), settings);
    }

    private static void syncing(SyncMode mode) {
        if (mode == SyncMode.REVERT) {
            throw new ConfigurationException("HR-CONFIG-092", "REVERT is not a mode to sync in: call revert(runId) with the run to revert");
        }
    }

    /**
     * Teachers' custom groups in this engine's store: made, edited and deleted by people only; no sync, revert or approval
     * edits them, under any {@code sync.strategy}. Needs no token.
     */
    public CustomGroups groups() {
        return new dev.homeroom.engine.internal.TeacherGroups(store());
    }

    /** Why a record ended as it did; empty when the store has never seen this Clever id. */
    public Optional<Explanation> explain(String cleverId) {
        return new Explainer(store()).explain(cleverId);
    }

    /** Past runs, newest first. */
    public List<RunInfo> runs(int limit) {
        return store().read(s -> s.runs().runs(null, limit)).stream()
                .map(r -> new RunInfo(r.runId(), r.districtId(), r.mode(), r.status(), instant(r.startedAt()), instant(r.finishedAt()),
                        r.warnings(), r.errors(), r.report()))
                .toList();
    }

    /**
     * The district this engine's token synced (the store binds each token to the district it first saw); empty without
     * a token, or before its first run.
     */
    public Optional<String> tokenDistrict() {
        if (settings.token() == null) {
            return Optional.empty();
        }
        return store().boundDistrict(dev.homeroom.engine.internal.TokenBinding.fingerprint(settings.token()));
    }

    /** The districts this store holds, by Clever id; a page of at most 500. */
    public List<DistrictInfo> districts(int limit, int offset) {
        return districts(null, limit, offset);
    }

    /** {@link #districts(int, int)} whose Clever id is {@code query} or whose name contains it (any case); null for all. */
    public List<DistrictInfo> districts(String query, int limit, int offset) {
        return store().read(s -> s.console().districts(blankToNull(query), limit, offset)).stream()
                .map(d -> new DistrictInfo(d.districtId(), d.name(), instant(d.createdAt())))
                .toList();
    }

    /** One district's runs, newest first; a page of at most 500. */
    public List<RunInfo> runs(String districtId, int limit, int offset) {
        return store().read(s -> s.console().runs(districtId, limit, offset)).stream().map(SyncEngine::runInfo).toList();
    }

    /** One run, or empty when the store has no run with this id. */
    public Optional<RunInfo> run(String runId) {
        return store().read(s -> s.runs().run(runId)).map(SyncEngine::runInfo);
    }

    /**
     * One page of a run's warnings and handled errors, in the order the run found them, after the cursor {@code after}
     * (0 for the first page); {@code kind}, {@code code} and {@code cleverId} narrow it (null for any). At most 500.
     */
    public IssuePage issues(String runId, String kind, String code, String cleverId, int after, int limit) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        var rows = store().read(s -> s.console().warnings(run.districtId(), runId, blankToNull(kind), blankToNull(code),
                blankToNull(cleverId), Math.max(0, after), limit + 1));
        boolean more = rows.size() > limit;
        var page = more ? rows.subList(0, limit) : rows;
        return new IssuePage(page.stream().map(n -> n.warning()).map(w -> new DataIssue(w.runId(), w.kind().label(), w.cleverId(),
                w.code(), w.field(), w.message(), w.ruleId())).toList(), more ? page.get(page.size() - 1).seq() : 0);
    }

    /** How many warnings and handled errors a run found per kind of record and code. */
    public List<IssueCount> issueCounts(String runId) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        return store().read(s -> s.console().warningCounts(run.districtId(), runId)).stream()
                .map(c -> new IssueCount(c.kind(), c.code(), c.count())).toList();
    }

    /**
     * Records of one district found by Clever id (exactly) or by the start of a name: a user's last name, a section's,
     * school's, term's or course's name (as typed, or with its first letter upper case). At most {@code limit} (500).
     */
    public List<RecordMatch> findRecords(String districtId, String query, int limit) {
        String q = blankToNull(query);
        if (q == null) {
            return List.of();
        }
        return store().read(s -> {
            List<dev.homeroom.store.ConsoleQueries.RecordRow> rows = new ArrayList<>(s.console().byId(districtId, q));
            if (q.startsWith(dev.homeroom.store.ManualStore.ID_PREFIX)) { // a host's manual class or student, by its id
                for (var kind : List.of(dev.homeroom.spi.RecordKind.USER, dev.homeroom.spi.RecordKind.SECTION)) {
                    s.manual().row(districtId, kind, q).ifPresent(r -> rows.add(
                            new dev.homeroom.store.ConsoleQueries.RecordRow(districtId, kind, q,
                                    r.values().getOrDefault(kind == dev.homeroom.spi.RecordKind.USER ? "last_name" : "name", q), "MANUAL", null)));
                }
            }
            for (dev.homeroom.spi.RecordKind kind : List.of(dev.homeroom.spi.RecordKind.USER, dev.homeroom.spi.RecordKind.SECTION,
                    dev.homeroom.spi.RecordKind.SCHOOL, dev.homeroom.spi.RecordKind.TERM, dev.homeroom.spi.RecordKind.COURSE)) {
                if (rows.size() >= limit) {
                    break;
                }
                rows.addAll(s.console().findByLabel(districtId, kind, q, limit - rows.size()));
            }
            return rows.stream().distinct().limit(Math.max(1, limit)).map(r -> new RecordMatch(r.districtId(), r.kind().label(), r.cleverId(),
                    r.label(), r.outcome(), r.goneRun() != null)).toList();
        });
    }

    /** Why a record of this district ended as it did; empty when the district has no record with this Clever id. */
    public Optional<Explanation> explain(String districtId, String cleverId) {
        return new Explainer(store()).explain(districtId, cleverId);
    }

    /**
     * A district's records of one kind ({@code schools}, {@code terms}, {@code courses}, … or the singular), in Clever id
     * order; at most 500.
     */
    public List<RecordMatch> records(String districtId, String kind, int limit) {
        dev.homeroom.spi.RecordKind k = java.util.Arrays.stream(dev.homeroom.spi.RecordKind.values())
                .filter(x -> x != dev.homeroom.spi.RecordKind.DISTRICT && (x.label().equals(kind) || x.path().equals(kind))).findFirst()
                .orElseThrow(() -> new ConfigurationException("HR-CONFIG-053", "unknown record kind '" + kind
                        + "': use users, sections, terms, schools or courses"));
        return store().read(s -> s.console().records(districtId, k, limit)).stream()
                .map(r -> new RecordMatch(r.districtId(), r.kind().label(), r.cleverId(), r.label(), null, false)).toList();
    }

    /**
     * A page of the sections a district's Clever shares now, in Clever id order after {@code afterId} (null for the
     * first page), with whether each is selected (P22 STAGING); {@code filter} narrows it. At most 500.
     */
    public List<StagedSection> sections(String districtId, SectionFilter filter, String afterId, int limit) {
        var mapper = dev.homeroom.engine.internal.ConsoleRecords.mapper();
        return store().read(s -> s.console().sections(districtId, filter.schoolId(), filter.termId(), filter.courseId(), filter.subject(),
                filter.grade(), filter.selected(), blankToNull(afterId), limit)).stream()
                .map(r -> dev.homeroom.engine.internal.ConsoleRecords.section(mapper, r))
                .toList();
    }

    /**
     * Selects (or unselects) sections of one district to load under P22 STAGING, in one transaction; ids this district's
     * Clever does not share are refused with one line and nothing changes. The next run provisions (or deactivates) them.
     */
    public int selectSections(String districtId, java.util.Collection<String> sectionIds, boolean selected) {
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(sectionIds));
        if (ids.size() > dev.homeroom.store.ConsoleQueries.MAX_PAGE) {
            throw new ConfigurationException("HR-CONFIG-054", ids.size() + " sections at once: select at most "
                    + dev.homeroom.store.ConsoleQueries.MAX_PAGE + " per call");
        }
        return store().transaction(s -> {
            Set<String> known = new HashSet<>(s.console().shared(districtId, dev.homeroom.spi.RecordKind.SECTION, ids));
            List<String> unknown = ids.stream().filter(id -> !known.contains(id)).toList();
            if (!unknown.isEmpty()) {
                throw new ConfigurationException("HR-CONFIG-051", "no shared section with Clever id " + String.join(", ", unknown)
                        + " in district " + districtId);
            }
            int n = 0;
            for (String id : ids) {
                n += s.edits().selectSection(districtId, id, selected);
            }
            return n;
        });
    }

    /**
     * Rejects the plan of a run a safety guard halted: the run is marked REJECTED and can no longer be approved. Nothing
     * is applied; the next sync computes a new plan from Clever's data.
     */
    public RunInfo reject(String runId) {
        return reject(runId, null);
    }

    /** {@link #reject(String)}, recording {@code approver} as who rejected it ({@link #approvals}). */
    public RunInfo reject(String runId, String approver) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        if (!SyncStatus.HALTED.name().equals(run.status())) {
            throw new ConfigurationException("HR-CONFIG-022", "run " + runId + " is " + run.status() + ", not HALTED: nothing to reject");
        }
        store().transaction(s -> {
            s.runs().setRunStatus(runId, "REJECTED");
            return null;
        });
        recordApproval(run, approver, Approval.REJECTED, null, null);
        return run(runId).orElseThrow();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static RunInfo runInfo(RunRow r) {
        return new RunInfo(r.runId(), r.districtId(), r.mode(), r.status(), instant(r.startedAt()), instant(r.finishedAt()),
                r.warnings(), r.errors(), r.report());
    }

    /** The data warnings and handled errors of a run. */
    public List<DataIssue> warnings(String runId, int limit) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        return store().read(s -> s.runs().warnings(run.districtId(), runId, null, limit)).stream()
                .map(w -> new DataIssue(w.runId(), w.kind().label(), w.cleverId(), w.code(), w.field(), w.message(), w.ruleId()))
                .toList();
    }

    /** How many data warnings and handled errors a run stored ({@link #warnings} returns at most its limit of them). */
    public int warningCount(String runId) {
        RunRow run = store().read(s -> s.runs().run(runId)).orElseThrow(() ->
                new ConfigurationException("HR-CONFIG-020", "no run " + runId + " in this store (see the runs command)"));
        return store().read(s -> s.runs().warningCount(run.districtId(), runId));
    }

    /**
     * Changes that runs applied and no host has acknowledged yet, oldest first. A host reads them, updates its own
     * records, then {@link #acknowledge} them; a crash in between means it sees them again (at-least-once).
     */
    public List<AppliedChange> pendingChanges(int limit) {
        return store().read(s -> s.outbox().pending(limit)).stream()
                .map(o -> new AppliedChange(o.districtId(), o.runId(), o.seq(), o.entity(), o.key(), o.change(), instant(o.createdAt())))
                .toList();
    }

    /** Removes consumed changes from the outbox, so they are not offered again; returns how many were still pending. */
    public int acknowledge(List<AppliedChange> changes) {
        return store().transaction(s -> s.outbox().acknowledge(changes.stream()
                .map(c -> new dev.homeroom.store.OutboxRow(c.districtId(), c.runId(), c.seq(), c.entity(), c.key(), c.change(), null))
                .toList()));
    }

    /**
     * Records a class display name a teacher or admin chose (P10): later syncs never overwrite it, while the SIS name
     * beside it keeps following Clever.
     */
    public void editClassDisplayName(String sectionId, String displayName) {
        edit(dev.homeroom.spi.RecordKind.SECTION, sectionId, (s, district) -> s.edits().editClassDisplayName(district, sectionId, displayName), "provisioned");
    }

    /**
     * Selects sections to load when the policies say {@code sections.filter = STAGING} (P22); the next run provisions
     * them. Unknown ids fail with a one-line message and select nothing.
     */
    public void selectSections(java.util.Collection<String> sectionIds) {
        sectionIds.forEach(id -> edit(dev.homeroom.spi.RecordKind.SECTION, id, (s, district) -> s.edits().selectSection(district, id, true), "shared"));
    }

    /** Takes sections out of the staged selection; the next run deactivates their classes. */
    public void unselectSections(java.util.Collection<String> sectionIds) {
        sectionIds.forEach(id -> edit(dev.homeroom.spi.RecordKind.SECTION, id, (s, district) -> s.edits().selectSection(district, id, false), "selected"));
    }

    /** Records a graduation year an admin set for a student (P6): later syncs never overwrite it. */
    public void editGraduationYear(String userId, String year) {
        if (year != null && !year.matches("\\d{4}")) {
            throw new ConfigurationException("HR-CONFIG-050", "graduation year '" + year + "' is not a four-digit year");
        }
        edit(dev.homeroom.spi.RecordKind.USER, userId, (s, district) -> s.edits().editGraduationYear(district, userId, year), "provisioned");
    }

    private void edit(dev.homeroom.spi.RecordKind kind, String cleverId,
                      java.util.function.BiFunction<dev.homeroom.store.StoreSession, String, Integer> change, String what) {
        RuleProvider rules = injector.getInstance(RuleProvider.class);
        int changed = store().transaction(s -> {
            int n = 0;
            for (var ref : s.shadow().find(cleverId)) {
                if (ref.kind() == kind) {
                    if ("provisioned".equals(what) && dev.homeroom.rules.PolicyFile.forDistrict(rules.basePolicies(), ref.districtId())
                            .is("sync.strategy", "SIS_LOCKDOWN")) {
                        throw new ConfigurationException("HR-CONFIG-052", "district " + ref.districtId()
                                + " runs with sync.strategy=SIS_LOCKDOWN: Clever is the source of truth, so " + kind.label()
                                + " values cannot be edited here (change the policy to PARTIAL_LOCKDOWN or TWO_WAY to allow it)");
                    }
                    n += change.apply(s, ref.districtId());
                }
            }
            return n;
        });
        if (changed == 0 && cleverId.startsWith(dev.homeroom.store.ManualStore.ID_PREFIX)) {
            throw new ConfigurationException("HR-MANUAL-012", kind.label() + " " + cleverId + " is a manual record, not Clever's: change it"
                    + " with SyncEngine.manual() (editClass, editStudent)");
        }
        if (changed == 0) {
            throw new ConfigurationException("HR-CONFIG-051", "no " + what + " " + kind.label() + " with Clever id " + cleverId);
        }
    }

    /**
     * Compiles the rules (default or directory) with every plugin's, and reads every plugin's policy overrides; each
     * problem as {@code FILE:LINE:COLUMN: message}. A plugin with a problem is refused ({@link #refusedPlugins()}).
     */
    public List<String> checkRules() {
        PluginRegistry registry = injector.getInstance(PluginRegistry.class);
        return injector.getInstance(RuleProvider.class).check(registry.all(), registry::refuseLater);
    }

    /**
     * Runs rule scenario files against the rules (default or directory) plus every loaded plugin's rule files, with the
     * policies and the plugins' overrides; a plugin whose rules do not compile is refused and stops the test with a
     * {@link PluginException}.
     */
    public List<dev.homeroom.rules.ScenarioResult> testScenarios(List<Path> scenarioFiles) {
        PluginRegistry registry = injector.getInstance(PluginRegistry.class);
        return injector.getInstance(RuleProvider.class).scenarios(registry.all(), scenarioFiles, registry::refuseLater);
    }

    /** The plugins loaded, and messages for those refused. */
    public List<String> pluginNames() {
        return injector.getInstance(PluginRegistry.class).all().stream().map(DistrictPlugin::name).toList();
    }

    public List<String> refusedPlugins() {
        return injector.getInstance(PluginRegistry.class).refused();
    }

    private SyncPipeline pipeline() {
        if (settings.token() == null) {
            throw new ConfigurationException("HR-CONFIG-001", "no Clever token: pass --token or set CLEVER_TOKEN (SyncEngine.builder().token(…))");
        }
        RuleProvider rules = injector.getInstance(RuleProvider.class);
        Set<String> kept = new HashSet<>(Arrays.asList(rules.basePolicies().get("sensitive.fields", "").split(",")));
        kept.removeIf(String::isBlank);
        return new SyncPipeline(store(), rules, injector.getInstance(PluginRegistry.class), new CleverClients(settings, kept), settings);
    }

    private Store store() {
        Store store = opened.get();
        if (store == null) {
            try {
                store = injector.getInstance(Store.class);
            } catch (com.google.inject.ProvisionException e) {
                // Guice wraps what the store module threw; the user should see the store's own one-line message
                if (e.getCause() instanceof HomeroomException h) {
                    throw h;
                }
                throw e;
            }
            opened.set(store);
        }
        return store;
    }

    private static Instant instant(LocalDateTime t) {
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        injector.getInstance(PluginRegistry.class).close();
        Store store = opened.getAndSet(null);
        if (store != null) {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "SyncEngine" + settings;
    }

    /** Collects and validates the engine's settings; every setter fails fast with a message that says what to change. */
    @API(status = API.Status.EXPERIMENTAL)
    public static final class Builder {
        private String cleverUrl = "https://api.clever.com";
        private String token;
        private int pageLimit = 10_000;
        private int maxRetries = 6;
        private Path rulesDirectory;
        private Path policiesFile;
        private Path pluginDirectory;
        private boolean discoverPlugins = true;
        private final List<DistrictPlugin> plugins = new ArrayList<>();
        private final List<SyncListener> listeners = new ArrayList<>();
        private int decideBatchSize = 5_000;
        private final java.util.Map<String, java.util.Map<String, String>> pluginSettings = new java.util.HashMap<>();
        private StoreConfig storeConfig;
        private DataSource dataSource;
        private Vendor vendor;
        private java.time.Duration callTimeout = java.time.Duration.ofMinutes(5);
        private java.time.Duration runTimeout = java.time.Duration.ofHours(6);
        private boolean allowDistrictChange;

        private Builder() {}

        /** The Clever API origin (default {@code https://api.clever.com}); plain http only for loopback hosts. */
        public Builder cleverUrl(String url) {
            if (url == null || url.isBlank()) {
                throw new ConfigurationException("HR-CONFIG-002", "the Clever URL is empty: give an origin such as https://api.clever.com");
            }
            this.cleverUrl = url.strip();
            return this;
        }

        /** The district's bearer token; never logged. */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token.strip();
            return this;
        }

        public Builder pageLimit(int limit) {
            if (limit < 1 || limit > 10_000) {
                throw new ConfigurationException("HR-CONFIG-003", "page limit " + limit + " is out of range: use 1 to 10000");
            }
            this.pageLimit = limit;
            return this;
        }

        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new ConfigurationException("HR-CONFIG-004", "maxRetries must be 0 or more");
            }
            this.maxRetries = retries;
            return this;
        }

        /** A directory of {@code .drl} files that replaces the shipped rules; read again at every run. */
        public Builder rulesDirectory(Path dir) {
            if (dir != null && !Files.isDirectory(dir)) {
                throw new ConfigurationException("HR-CONFIG-005", "rules directory not found: " + dir + " (check --rules)");
            }
            if (dir != null) {
                dev.homeroom.rules.RuleFiles.fromDirectory(dir); // an empty directory fails here, not at the first run
            }
            this.rulesDirectory = dir;
            return this;
        }

        /** The policies file; default: {@code policies.properties} in the rules directory, else the shipped one. */
        public Builder policiesFile(Path file) {
            if (file != null && !Files.isRegularFile(file)) {
                throw new ConfigurationException("HR-CONFIG-006", "policies file not found: " + file);
            }
            this.policiesFile = file;
            return this;
        }

        /** A directory of plugin jars, loaded beside those on the class path. */
        public Builder pluginDirectory(Path dir) {
            if (dir != null && !Files.isDirectory(dir)) {
                throw new ConfigurationException("HR-CONFIG-010", "plugin directory not found: " + dir + " (check --plugins)");
            }
            this.pluginDirectory = dir;
            return this;
        }

        /** Whether to find plugins on the class path with ServiceLoader (default true). */
        public Builder discoverPlugins(boolean discover) {
            this.discoverPlugins = discover;
            return this;
        }

        public Builder plugin(DistrictPlugin plugin) {
            plugins.add(Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        /** A setting for one plugin, handed to it in {@code PluginContext.settings()} when it loads. */
        public Builder pluginSetting(String pluginName, String key, String value) {
            pluginSettings.computeIfAbsent(Objects.requireNonNull(pluginName, "pluginName"), n -> new java.util.HashMap<>())
                    .put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder listener(SyncListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The longest one call to Clever may take, from connecting to the last byte of its body (default 5 minutes). A
         * call that takes longer is cut and retried like a reset connection.
         */
        public Builder callTimeout(java.time.Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationException("HR-CONFIG-074", "call timeout must be positive, was " + timeout
                        + " (e.g. java.time.Duration.ofMinutes(5))");
            }
            this.callTimeout = timeout;
            return this;
        }

        /**
         * How long a run may spend reading Clever (default 6 hours): after that no request or retry starts, and the run
         * ends FAILED (retriable, HR-CLEVER-DEADLINE) having applied nothing.
         */
        public Builder runTimeout(java.time.Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationException("HR-CONFIG-075", "run timeout must be positive, was " + timeout
                        + " (e.g. java.time.Duration.ofHours(6))");
            }
            this.runTimeout = timeout;
            return this;
        }

        /**
         * Whether a token that synced one district may sync another (default false). A token is bound to the district it
         * first synced; when Clever later shows it a different district, the run is refused (HR-CONFIG-076) unless this is
         * set, because syncing it would provision the other district's people as if they were new.
         */
        public Builder allowDistrictChange(boolean allow) {
            this.allowDistrictChange = allow;
            return this;
        }

        /** How many records the rules decide per batch (default 5000). */
        public Builder decideBatchSize(int size) {
            if (size < 1) {
                throw new ConfigurationException("HR-CONFIG-007", "decide batch size must be at least 1");
            }
            this.decideBatchSize = size;
            return this;
        }

        /** The store the engine opens and owns: {@link StoreConfig#h2File} (default, under ./rostersync-data) or PostgreSQL. */
        public Builder store(StoreConfig config) {
            this.storeConfig = Objects.requireNonNull(config, "config");
            this.dataSource = null;
            return this;
        }

        /** A data source the host owns and closes; the engine migrates its schema. */
        public Builder dataSource(DataSource dataSource, Vendor vendor) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.vendor = Objects.requireNonNull(vendor, "vendor");
            this.storeConfig = null;
            return this;
        }

        public SyncEngine build() {
            EngineSettings settings = new EngineSettings(cleverUrl, token, pageLimit, maxRetries, rulesDirectory, policiesFile,
                    pluginDirectory, discoverPlugins, plugins, listeners, decideBatchSize, pluginSettings, callTimeout, runTimeout,
                    allowDistrictChange);
            if (token != null) {
                new CleverClients(settings, Set.of()); // validates the URL (https unless loopback) before anything runs
            }
            Module storeModule = dataSource != null ? new HostDataSourceModule(dataSource, vendor)
                    : new StoreModule(storeConfig != null ? storeConfig : StoreConfig.h2File(Path.of("rostersync-data")));
            return new SyncEngine(settings, storeModule);
        }
    }
}
