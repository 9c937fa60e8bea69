package dev.homeroom.engine.internal;

import dev.homeroom.engine.Stage;
import dev.homeroom.engine.SyncListener;
import dev.homeroom.engine.internal.RunTally.Counter;
import dev.homeroom.engine.internal.clever.CleverClient;
import dev.homeroom.engine.internal.clever.FetchedRecord;
import dev.homeroom.engine.internal.clever.PageSink;
import dev.homeroom.engine.internal.clever.RecordProblem;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.Course;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RecordTransformer;
import dev.homeroom.spi.School;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.User;
import dev.homeroom.store.StoredText;
import dev.homeroom.store.PageDiff;
import dev.homeroom.store.SectionEnrollment;
import dev.homeroom.store.ShadowRecord;
import dev.homeroom.store.StoreSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch and shadow steps of a run: each page of a collection (a full run) or of events' records goes through the
 * district's plugins' transformers into the shadow, which tells what was created, updated and gone. A full run that
 * decides only what changed learns here which records changed and what they touched.
 */
final class ShadowStep {
    private static final Logger log = LoggerFactory.getLogger(SyncPipeline.class); // the run's log lines keep one name
    /** How often (in pages) a full fetch refreshes PostgreSQL's statistics of the growing shadow. */
    private static final int STATISTICS_EVERY_PAGES = 25;

    private final Run run;
    private final Map<DistrictPlugin, List<RecordTransformer>> transformers = new java.util.LinkedHashMap<>();

    ShadowStep(Run run) {
        this.run = run;
    }

    /** A full run's fetch of one kind: every page into the shadow, then what went away. */
    void fetchCollection(StoreSession s, CleverClient client, RecordKind kind) {
        long t0 = System.nanoTime();
        var collection = s.shadow().collection(run.districtId(), run.runId, kind).beforeChanging(ids -> {
            if (run.dirty != null) {
                run.touchedBefore.putAll(s.shadow().neighbours(run.districtId(), kind, ids)); // what they touched before
            }
        });
        int[] pages = {0};
        long shadowBefore = run.stages.nanos(Stage.SHADOW);
        // a kind's first fetch stores every record: its JSON is packed for the shadow on the thread that reads
        // the pages ahead, beside the engine storing the page before (a later fetch stores only what changed)
        boolean packAhead = !s.shadow().holdsAny(run.districtId(), kind);
        var stats = client.fetchAll(kind, new PageSink() {
            @Override
            public void page(RecordKind k, List<FetchedRecord> records, List<RecordProblem> problems) {
                long p0 = System.nanoTime();
                ShadowStep.this.page(s, collection, k, records, problems, Map.of());
                if (++pages[0] % STATISTICS_EVERY_PAGES == 0) {
                    s.refreshStatistics(); // the shadow grows page by page: keep PostgreSQL's plans on real sizes
                }
                run.stages.add(Stage.SHADOW, System.nanoTime() - p0);
            }

            @Override
            public FetchedRecord prepare(RecordKind k, FetchedRecord record) {
                return packAhead ? record.withPackedJson(ShadowRecord.pack(record.json())) : record;
            }
        });
        run.stages.add(Stage.FETCH, System.nanoTime() - t0 - (run.stages.nanos(Stage.SHADOW) - shadowBefore));
        long g0 = System.nanoTime();
        List<String> goneIds = collection.finish();
        int gone = goneIds.size();
        if (kind == RecordKind.SECTION) {
            run.changed.add(RecordKind.SECTION, goneIds); // their enrollments went with them
            run.membershipsChanged.add(RecordKind.SECTION, goneIds);
        } else if (kind == RecordKind.USER) {
            run.goneUsers.addAll(goneIds);
        }
        fetchedChanges(s, kind, goneIds);
        s.refreshStatistics();
        run.stages.add(Stage.DERIVE, System.nanoTime() - g0);
        log.info("HR-SYNC-101 fetched {} {} in {} pages, {} requests, {} retries, {} gone, {} ms", stats.records(), kind.path(),
                stats.pages(), stats.requests(), stats.retries(), gone, SyncPipeline.millisSince(t0));
    }

    /**
     * One page of records: of a whole collection when {@code collection} is given (a full run), else of events.
     * {@code known} holds what was read of their neighbours in this same step (their enrollments are not read
     * again); for events, returns the users each section it created or changed enrolls now (a full run: empty).
     */
    Map<String, Set<String>> page(StoreSession s, dev.homeroom.store.ShadowStore.CollectionFetch collection, RecordKind kind,
                              List<FetchedRecord> records, List<RecordProblem> problems,
                              Map<String, dev.homeroom.store.ShadowStore.NeighbourRow> known) {
        List<ShadowRecord> shadows = new ArrayList<>(records.size());
        Map<String, Section> sections = new java.util.HashMap<>();
        Set<String> ids = new HashSet<>();
        List<String> keepAsTheyWere = new ArrayList<>();
        int bad = 0;
        for (RecordProblem p : problems) {
            run.problem(kind, p.cleverId(), "INVALID_RECORD", p.reason());
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
                run.problem(kind, fetched.record().id(), "PLUGIN_FAILED", e.getMessage());
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
                run.problem(kind, null, "INVALID_ID", id == null || id.isBlank()
                        ? "a " + kind.label() + " without an id was not stored"
                        : "a " + kind.label() + " with an over-long id (" + id.length() + " characters, starting '"
                                + StoredText.storable(id.substring(0, Math.min(40, id.length()))) + "') was not stored");
                bad++;
                continue;
            }
            if (!ids.add(record.id())) {
                run.problem(kind, record.id(), "DUPLICATE_ID", "the same " + kind.label() + " id came twice in one page; the first was kept");
                bad++;
                continue;
            }
            // the shadow keeps what Clever sent; the record as the plugins made it (what the rules decide) and what
            // each plugin changed sit beside it
            String pluginPayload = pluginChanges.isEmpty() ? null : RecordCodec.toJson(run.json, record);
            shadows.add(ShadowMapper.toShadow(record, fetched.json(), fetched.packedJson(), pluginPayload,
                    pluginChanges.isEmpty() ? null : PluginChanges.encode(run.json, pluginChanges)));
            if (record instanceof Section section) {
                sections.put(section.id(), section);
            }
        }
        run.tally.add(kind, Counter.FETCHED, records.size() + problems.size());
        run.tally.add(kind, Counter.ERRORS, bad);
        PageDiff diff = collection != null ? collection.page(shadows, keepAsTheyWere) : s.shadow().applyPage(run.districtId(), run.runId, shadows);
        Map<String, Set<String>> enrolledNow = new java.util.HashMap<>();
        if (!sections.isEmpty()) {
            run.changed.add(RecordKind.SECTION, diff.created());
            run.changed.add(RecordKind.SECTION, diff.updated());
            List<SectionEnrollment> enrollments = new ArrayList<>();
            for (String id : diff.created()) {
                enrollments.add(ShadowMapper.enrollment(sections.get(id)));
            }
            for (String id : diff.updated()) {
                enrollments.add(ShadowMapper.enrollment(sections.get(id)));
            }
            var enrollmentChanges = s.shadow().replaceEnrollments(run.districtId(), enrollments, new HashSet<>(diff.created()), known);
            run.membershipsChanged.addEnrollments(enrollmentChanges);
            if (collection == null) {
                // events: their reference check looks at these users, not at the whole district, and what the
                // sections enroll now is known without reading it again
                enrollmentChanges.members().forEach(member -> run.enrollmentUsers.add(member.get(1)));
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
        if (run.pendingWarnings.size() > 5_000) {
            run.flushWarnings(s);
        }
        for (SyncListener l : run.settings.listeners()) {
            l.pageFetched(kind, records.size(), problems.size());
        }
        return enrolledNow;
    }

    /**
     * In a full run that decides only what changed: these records of the page or collection changed, and what they
     * touch now has facts to decide again (what they touched before came through {@code beforeChanging}). Past a
     * bound the run decides every record instead.
     */
    void fetchedChanges(StoreSession s, RecordKind kind, List<String> ids) {
        if (run.dirty == null || ids.isEmpty()) {
            return;
        }
        run.dirty.computeIfAbsent(kind, k -> new HashSet<>()).addAll(ids);
        Map<String, dev.homeroom.store.ShadowStore.NeighbourRow> before = new java.util.HashMap<>();
        for (String id : ids) {
            var row = run.touchedBefore.remove(id);
            if (row != null) {
                before.put(id, row);
            }
        }
        run.touchedByEvents.addAll(dev.homeroom.store.ShadowStore.changedBetween(before, s.shadow().neighbours(run.districtId(), kind, ids)));
        if (run.dirty.values().stream().mapToInt(Set::size).sum() > SyncPipeline.CHANGED_BEFORE_WHOLE_DISTRICT) {
            log.info("HR-SYNC-108 more than {} records of district {} changed: deciding every record", SyncPipeline.CHANGED_BEFORE_WHOLE_DISTRICT,
                    run.districtId());
            run.dirty = null;
            run.fullDecidingChanges = false;
        }
    }

    /** The record as the district's plugins' transformers make it; what each changed is added to {@code changes}. */
    private CleverRecord transform(CleverRecord record, List<PluginChanges.Change> changes) {
        CleverRecord current = record;
        for (DistrictPlugin p : run.active) {
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
                    changes.addAll(PluginChanges.diff(run.json, p.name(), before, current));
                }
            }
        }
        return current;
    }
}
