package dev.homeroom.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.Stage;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.engine.internal.SyncPipeline.Request;
import dev.homeroom.engine.internal.clever.CleverClient;
import dev.homeroom.rules.RuleSet;
import dev.homeroom.spi.District;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.HomeroomException;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.ProvisionedChange;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreSession;
import dev.homeroom.store.WarningRow;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one run while it executes inside its transaction, and {@link #execute}: the run's stages in order.
 * The fetch and shadow ({@link ShadowStep}), the events and what changed with them ({@link EventStep}), the decide
 * step ({@link DecideStep}) and the safety guard ({@link RunGuard}) each live in a class of their own, which reads
 * and writes this state.
 */
final class Run {
    private static final Logger log = LoggerFactory.getLogger(SyncPipeline.class); // the run's log lines keep one name
    /** Part of every run's rules hash: a new engine may decide differently, so its first full run decides every record. */
    private static final String ENGINE_VERSION = java.util.Objects.requireNonNullElse(
            SyncPipeline.class.getPackage().getImplementationVersion(), "development");

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
    /**
     * What a full run's changed records touched before the fetch changed them, until {@link ShadowStep#fetchedChanges}
     * takes it.
     */
    final Map<String, dev.homeroom.store.ShadowStore.NeighbourRow> touchedBefore = new java.util.HashMap<>();
    /** What the changed records' changes touched (see {@link dev.homeroom.store.ShadowStore#changedBetween}). */
    final dev.homeroom.store.ShadowStore.Neighbours touchedByEvents = dev.homeroom.store.ShadowStore.Neighbours.none();
    final List<WarningRow> pendingWarnings = new ArrayList<>();
    final PluginFillers fillers;
    final PluginSupplemental supplemental;
    final Map<String, String> pluginOfRule = new java.util.HashMap<>();
    /**
     * The first changes of the run, one per record, as many as the request lists ({@link SyncPipeline#plan}); and how
     * many in all.
     */
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
    final EngineSettings settings;
    final PluginRegistry plugins;
    final ObjectMapper json;
    private final ShadowStep shadowStep;
    private final EventStep eventStep;
    private final DecideStep decideStep;
    /** Provisioned rows of each kind, and memberships, active before this run: what the safety guard compares with. */
    private ActiveBefore activeBefore;
    /** Where {@link #activeBefore} is counted beside the run (null: in the run's own session). */
    private Store countAside;
    /** The event cursor the run started from (null: none, or one Clever refused), and the one it commits. */
    private String cursor;
    private String newCursor;
    /** Whether the run fetches every collection (a full run, or an incremental one without a usable cursor). */
    private boolean full;
    /** The rules hash every record stood decided under when the run started ({@code district.decided_under}). */
    private String decidedUnder;

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
        Request request, EngineSettings settings, PluginRegistry plugins, ObjectMapper json) {
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
        this.settings = settings;
        this.plugins = plugins;
        this.json = json;
        this.shadowStep = new ShadowStep(this);
        this.eventStep = new EventStep(this, shadowStep);
        this.decideStep = new DecideStep(this);
    }

    String districtId() {
        return district.id();
    }

    /** Counts what is active before the run beside it, on another connection of this store ({@link ActiveBefore}). */
    void countActiveBeside(Store store) {
        this.countAside = store;
    }

    SyncReport execute(StoreSession s, CleverClient client) {
        begin(s);
        if (!full) {
            applyEvents(s, client);
        }
        if (request.mode() == SyncMode.INCREMENTAL && cursor == null) {
            startEventsFromTheFeedsEnd(client);
        }
        decidedUnder = s.runs().decidedUnder(districtId()).orElse(null);
        if (full) {
            fetchEveryCollection(s, client);
        }
        activeBefore.get(s); // the counts, made beside the run or now: before its first provisioned change, in any case
        checkReferences(s);
        loadSupplemental(s);
        widenWhatToDecide(s);
        decideEveryKind(s);
        long t0 = System.nanoTime();
        int[] memberships = syncMemberships(s, t0);
        deriveFromMemberships(s);
        flushWarnings(s);
        stages.add(Stage.APPLY, System.nanoTime() - t0);
        moveCursorAndDecidedUnder(s);
        return planAndGuard(s, memberships[2]);
    }

    /** Claims the district (or fails at once), records the run, and counts what is active before it. */
    private void begin(StoreSession s) {
        if (!s.runs().claimDistrict(districtId())) {
            throw new HomeroomException("HR-SYNC-409", "district " + districtId() + " is being synced by another run right now"
                    + " (another instance or thread); nothing was done, try again when it has finished", true, null);
        }
        s.planEachStatement();
        s.runs().ensureDistrict(districtId(), district.name());
        s.runs().insertRun(runId, districtId(), request.mode().label(), "RUNNING", LocalDateTime.ofInstant(started, ZoneOffset.UTC));
        activeBefore = ActiveBefore.countAside(countAside, districtId()); // the district is claimed: nothing else changes it
        cursor = s.runs().eventCursor(districtId()).orElse(null);
        full = request.mode() == SyncMode.FULL || cursor == null;
    }

    /** An incremental run: the events after the cursor, page by page into the shadow ({@link EventStep#events}). */
    private void applyEvents(StoreSession s, CleverClient client) {
        dirty = new java.util.EnumMap<>(RecordKind.class);
        long t0 = System.nanoTime();
        try {
            var fetch = client.fetchEvents(cursor.isEmpty() ? null : cursor, Set.copyOf(SyncPipeline.FETCH_ORDER), (events, problems) -> {
                long p0 = System.nanoTime();
                eventStep.events(s, events, problems);
                stages.add(Stage.SHADOW, System.nanoTime() - p0);
            });
            stages.add(Stage.FETCH, System.nanoTime() - t0 - stages.nanos(Stage.SHADOW));
            newCursor = fetch.cursor() == null ? cursor : fetch.cursor();
            log.info("HR-SYNC-105 applied {} events after cursor '{}' in {} ms; cursor now '{}'", fetch.events(), cursor,
                    SyncPipeline.millisSince(t0), newCursor);
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

    /** The cursor a first incremental run commits: the end of the feed as it is now. */
    private void startEventsFromTheFeedsEnd(CleverClient client) {
        // the first incremental run takes a full snapshot; events from the end of the feed as it is now are
        // applied by the next run (an event that lands during the snapshot is applied twice: harmless)
        var end = client.fetchEvents(null, Set.of(), (events, problems) -> { });
        newCursor = end.cursor() == null ? "" : end.cursor();
        log.info("HR-SYNC-104 no event cursor for district {}: full snapshot, events from {} on", districtId(), newCursor);
    }

    /** A full run: every collection, kind by kind ({@link ShadowStep#fetchCollection}). */
    private void fetchEveryCollection(StoreSession s, CleverClient client) {
        // every record stands decided under these very rules: decide only what the fetch finds changed, as events would
        fullDecidingChanges = policies.is("sync.full_run_decides", "CHANGED") && rulesHash().equals(decidedUnder);
        dirty = fullDecidingChanges ? new java.util.EnumMap<>(RecordKind.class) : null;
        for (RecordKind kind : SyncPipeline.FETCH_ORDER) {
            shadowStep.fetchCollection(s, client, kind);
        }
    }

    /** References to records Clever does not share: warned about, provisioned as sent. */
    private void checkReferences(StoreSession s) {
        long d0 = System.nanoTime(); // (a full fetch refreshed PostgreSQL's statistics kind by kind; events change little)
        // an incremental run checks what its events changed: the school and course of the sections they changed, and
        // the enrollments of the users their new or removed enrollment rows name and of the users they took away (a
        // school or course that came or went changes what a reference can point at: then the whole district, as when
        // those users are a fifth of the district's, which one pass over the district checks faster than id by id)
        Set<String> changedSections = dirty == null ? Set.of() : dirty.getOrDefault(RecordKind.SECTION, Set.of());
        Set<String> checkedUsers = new HashSet<>(goneUsers);
        checkedUsers.addAll(enrollmentUsers);
        boolean wholeDistrict = full || schoolsOrCoursesChanged
                || checkedUsers.size() * 5L > activeBefore.get(s).byKind().getOrDefault(RecordKind.USER, 0);
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
    }

    /** Plugins' supplemental rows, read once the shadow is up to date. */
    private void loadSupplemental(StoreSession s) {
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
    }

    /** The records to decide beside those that changed, and users Clever re-created under a new id followed there. */
    private void widenWhatToDecide(StoreSession s) {
        long n0 = System.nanoTime();
        if (dirty != null) {
            eventStep.addNeighbours(s);
            if (fullDecidingChanges) {
                eventStep.countUndecided(s);
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
    }

    /** Every kind in decide order ({@link DecideStep#decide}), each heard by the listeners once decided. */
    private void decideEveryKind(StoreSession s) {
        for (RecordKind kind : SyncPipeline.DECIDE_ORDER) {
            long t0 = System.nanoTime();
            decideStep.decide(s, kind);
            log.info("HR-SYNC-102 decided and applied {} in {} ms", kind.path(), SyncPipeline.millisSince(t0));
            KindCounts counts = tally.kindCounts().getOrDefault(kind.path(), KindCounts.ZERO);
            for (SyncListener l : settings.listeners()) {
                l.kindDecided(kind, counts);
            }
        }
    }

    /** Brings memberships up to date; returns how many were created, reactivated and deactivated. */
    private int[] syncMemberships(StoreSession s, long t0) {
        // memberships change only with a section's enrollments or class, or a user's accounts: what changed, not all
        // that was decided (an incremental run decides every member of a changed section, to recount their classes)
        if (membershipsChanged.wholeDistrict() || changed.wholeDistrict()) {
            s.refreshStatistics(); // many rows changed: plan the district-wide statements on real sizes
        }
        int[] memberships = membershipsChanged.wholeDistrict() ? s.provisioning().syncMemberships(districtId(), runId)
                : s.provisioning().syncMemberships(districtId(), runId, membershipsChanged.checkedSections(), membershipsChanged.users(),
                        membershipsChanged.members());
        log.info("HR-SYNC-103 memberships: {} created, {} reactivated, {} deactivated in {} ms", memberships[0], memberships[1],
                memberships[2], SyncPipeline.millisSince(t0));
        // a host's manual memberships follow their classes and accounts, never Clever's enrollments; not guarded (P23)
        int manualFollowed = s.manual().follow(districtId(), runId);
        if (manualFollowed > 0) {
            log.info("HR-MANUAL-101 {} manual memberships followed their class or accounts", manualFollowed);
        }
        return memberships;
    }

    /** Class grades, default classes and self-generated courses, which follow memberships. */
    private void deriveFromMemberships(StoreSession s) {
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
            s.provisioning().deriveFromMemberships(districtId(), membershipsChanged.sections(), gradeUsers, membershipsChanged.users());
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
        log.info("HR-SYNC-106 derived class grades and default classes in {} ms", SyncPipeline.millisSince(t1));
    }

    /** The cursor, and the rules every record stands decided under, move with the changes they led to. */
    private void moveCursorAndDecidedUnder(StoreSession s) {
        if (newCursor != null) {
            s.runs().setEventCursor(districtId(), newCursor); // committed with the changes it led to, never before
        }
        if (dirty == null) {
            s.runs().setDecidedUnder(districtId(), rulesHash()); // every record was decided under these rules
        } else if (!rulesHash().equals(decidedUnder)) {
            s.runs().setDecidedUnder(districtId(), null); // some under these, the rest under others: the next full run decides all
        }
    }

    /** The plan and its safety guard (P23, MANUAL), an approval checked against it, and the report. */
    private SyncReport planAndGuard(StoreSession s, int membershipsDeactivated) {
        long guard0 = System.nanoTime();
        ActiveBefore.Counts before = activeBefore.get(s);
        String guard = new RunGuard(policies, tally).guard(before.byKind(), before.memberships(), membershipsDeactivated, full);
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
        return report(guard, approved, inPart, fingerprint);
    }

    /** The run's report; a halted run (not a dry run) throws it, so its transaction rolls back. */
    private SyncReport report(String guard, boolean approved, String inPart, String fingerprint) {
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
            throw new SyncPipeline.Halt(report);
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

    void problem(RecordKind kind, String cleverId, String code, String reason) {
        pendingWarnings.add(new WarningRow(runId, kind, cleverId, code, null, reason, "engine:fetch"));
        tally.errors(1);
    }

    void flushWarnings(StoreSession s) {
        s.runs().addWarnings(districtId(), pendingWarnings);
        pendingWarnings.clear();
    }
}
