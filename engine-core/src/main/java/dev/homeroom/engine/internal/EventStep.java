package dev.homeroom.engine.internal;

import dev.homeroom.engine.internal.RunTally.Counter;
import dev.homeroom.engine.internal.clever.FetchedRecord;
import dev.homeroom.engine.internal.clever.RecordProblem;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.CleverEvent;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.StoreSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run that decides only what changed decides: the records an incremental run's events changed (each page of
 * events applied to the shadow), then, before deciding, the records whose facts change with them; and, for a full run
 * that decides only changes, the outcomes of the records it does not decide again.
 */
final class EventStep {
    private final Run run;
    private final ShadowStep shadow;

    EventStep(Run run, ShadowStep shadow) {
        this.run = run;
        this.shadow = shadow;
    }

    /** One page of events: the last change of each record in the page wins; upserts go through {@link ShadowStep#page}. */
    void events(StoreSession s, List<CleverEvent> events, List<RecordProblem> problems) {
        for (RecordProblem p : problems) {
            run.problem(p.kind() == null ? RecordKind.USER : p.kind(), p.cleverId(), "INVALID_EVENT", p.reason());
        }
        Map<String, CleverEvent> last = new java.util.LinkedHashMap<>();
        for (CleverEvent e : events) {
            String key = e.kind() + "/" + e.object().id();
            last.remove(key);
            last.put(key, e);
        }
        for (RecordKind kind : SyncPipeline.FETCH_ORDER) {
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
            run.schoolsOrCoursesChanged |= !named.isEmpty() && (kind == RecordKind.SCHOOL || kind == RecordKind.COURSE);
            var before = s.shadow().neighbours(run.districtId(), kind, named); // what they touched before
            // the users each section enrolls after the events, where known without reading them again: as before for
            // one that did not change, none for one that went, what was just written for one created or changed
            Map<String, Set<String>> enrolledNow = new java.util.HashMap<>();
            if (kind == RecordKind.SECTION) {
                before.forEach((id, row) -> enrolledNow.put(id, row.enrolled()));
                gone.forEach(id -> enrolledNow.put(id, Set.of()));
            }
            if (!upserts.isEmpty()) {
                enrolledNow.putAll(shadow.page(s, null, kind, upserts, List.of(), before));
            }
            if (!gone.isEmpty()) {
                s.shadow().markGone(run.districtId(), run.runId, kind, gone.stream().filter(ShadowMapper::validId).toList());
                if (kind == RecordKind.USER) {
                    gone.stream().filter(ShadowMapper::validId).forEach(run.goneUsers::add);
                }
                run.changed.add(kind, gone); // a section that went away takes its enrollments along
                run.membershipsChanged.add(kind, gone);
                run.tally.add(kind, Counter.FETCHED, gone.size());
            }
            // and what they touch now: what differs is what their change touched
            run.touchedByEvents.addAll(dev.homeroom.store.ShadowStore.changedBetween(before,
                    s.shadow().neighbours(run.districtId(), kind, named, enrolledNow)));
            run.dirty.computeIfAbsent(kind, k -> new HashSet<>()).addAll(named);
        }
    }

    /**
     * A full run that decides only what changed reports the rest as the store holds them: the records of each outcome
     * that it does not decide again (all the district's, less the ones it decides) count as they would have.
     */
    void countUndecided(StoreSession s) {
        record Key(RecordKind kind, Outcome outcome, String ruleId) {}
        Map<Key, long[]> undecided = new java.util.HashMap<>();
        for (var c : s.decisions().outcomeCounts(run.districtId())) {
            long[] n = undecided.computeIfAbsent(new Key(c.kind(), c.outcome(), c.ruleId()), k -> new long[2]);
            n[0] += c.count();
            n[1] += c.warnings();
        }
        for (var e : run.dirty.entrySet()) {
            for (var c : s.decisions().outcomeCounts(run.districtId(), e.getKey(), e.getValue())) {
                long[] n = undecided.computeIfAbsent(new Key(c.kind(), c.outcome(), c.ruleId()), k -> new long[2]);
                n[0] -= c.count();
                n[1] -= c.warnings();
            }
        }
        undecided.forEach((key, n) -> {
            run.tally.warnings(Math.max(0, n[1])); // their findings still stand (stored once, by the run that made them)
            if (n[0] <= 0) {
                return;
            }
            switch (key.outcome()) {
                case PROVISIONED -> run.tally.add(key.kind(), Counter.UNCHANGED, n[0]);
                case SKIPPED -> {
                    run.tally.add(key.kind(), Counter.SKIPPED, n[0]);
                    run.tally.skippedBy(java.util.Objects.requireNonNullElse(key.ruleId(), "(rule not recorded)"), n[0]);
                }
                case ERROR -> {
                    run.tally.add(key.kind(), Counter.ERRORS, n[0]);
                    run.tally.errors(n[0]);
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
    void addNeighbours(StoreSession s) {
        Set<String> changedUsers = Set.copyOf(run.dirty.getOrDefault(RecordKind.USER, Set.of()));
        // sections see a term's existence, a course's name and a primary teacher's name: those that changed themselves,
        // not the terms and courses whose section counts changed (that would be every section of the term again)
        Set<String> changedTerms = Set.copyOf(run.dirty.getOrDefault(RecordKind.TERM, Set.of()));
        Set<String> changedCourses = Set.copyOf(run.dirty.getOrDefault(RecordKind.COURSE, Set.of()));
        Set<String> users = run.dirty.computeIfAbsent(RecordKind.USER, k -> new HashSet<>());
        users.addAll(run.touchedByEvents.enrolledUsers());
        users.addAll(s.derive().usersWithKeys(run.districtId(), run.touchedByEvents.emailKeys(), run.touchedByEvents.sisIds()));
        Set<String> terms = run.dirty.computeIfAbsent(RecordKind.TERM, k -> new HashSet<>());
        terms.addAll(run.touchedByEvents.terms());
        Set<String> courses = run.dirty.computeIfAbsent(RecordKind.COURSE, k -> new HashSet<>());
        courses.addAll(run.touchedByEvents.courses());
        run.dirty.computeIfAbsent(RecordKind.SECTION, k -> new HashSet<>())
                .addAll(s.derive().sectionsPointingAt(run.districtId(), changedTerms, changedCourses, changedUsers));
        s.edits().takeDecideAgain(run.districtId()).forEach((kind, ids) -> {
            run.dirty.computeIfAbsent(kind, k -> new HashSet<>()).addAll(ids);
            run.changed.add(kind, ids); // and their memberships (a MANUAL change held back comes back in the next plan)
            run.membershipsChanged.add(kind, ids);
        });
    }
}
