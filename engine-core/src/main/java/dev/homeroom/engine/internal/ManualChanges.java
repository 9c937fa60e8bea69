package dev.homeroom.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.ManualResources;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.ManualStore;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreSession;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ManualResources} on the store: each change is a run of mode {@value #MODE} of its own (so its outbox entries
 * belong to a run, as a sync's do), refused under {@code sync.strategy = SIS_LOCKDOWN}.
 */
public final class ManualChanges implements ManualResources {
    /** The mode of the runs that hold a host's manual changes. */
    public static final String MODE = "manual";
    private static final Logger log = LoggerFactory.getLogger(ManualChanges.class);
    private static final int MAX_TEXT = 1000;

    private final Store store;
    private final RuleProvider rules;
    private final PluginRegistry plugins;

    public ManualChanges(Store store, RuleProvider rules, PluginRegistry plugins) {
        this.store = store;
        this.rules = rules;
        this.plugins = plugins;
    }

    @Override
    public ManualClass createClass(String districtId, ClassValues values) {
        ClassValues v = check(values);
        String id = ManualStore.newId();
        change(districtId, "created class " + id, (s, run) -> {
            s.manual().createClass(districtId, run, id, v.name(), v.subject(), v.grade());
            return true;
        });
        return classOf(districtId, id);
    }

    @Override
    public ManualStudent createStudent(String districtId, StudentValues values) {
        StudentValues v = check(values);
        String id = ManualStore.newId();
        change(districtId, "created student " + id, (s, run) -> {
            s.manual().createStudent(districtId, run, id, v.firstName(), v.lastName(), v.email(), v.grade());
            return true;
        });
        return studentOf(districtId, id);
    }

    @Override
    public ManualClass editClass(String classId, ClassValues values) {
        ClassValues v = check(values);
        String district = manualRecord(RecordKind.SECTION, classId);
        change(district, "edited class " + classId,
                (s, run) -> s.manual().editClass(district, run, classId, v.name(), v.subject(), v.grade()));
        return classOf(district, classId);
    }

    @Override
    public ManualStudent editStudent(String studentId, StudentValues values) {
        StudentValues v = check(values);
        String district = manualRecord(RecordKind.USER, studentId);
        change(district, "edited student " + studentId,
                (s, run) -> s.manual().editStudent(district, run, studentId, v.firstName(), v.lastName(), v.email(), v.grade()));
        return studentOf(district, studentId);
    }

    @Override
    public ManualClass setClassActive(String classId, boolean active) {
        String district = manualRecord(RecordKind.SECTION, classId);
        change(district, (active ? "reactivated" : "deactivated") + " class " + classId, (s, run) -> {
            boolean changed = s.manual().setActive(district, run, RecordKind.SECTION, classId, active);
            return s.manual().follow(district, run) > 0 || changed;
        });
        return classOf(district, classId);
    }

    @Override
    public ManualStudent setStudentActive(String studentId, boolean active) {
        String district = manualRecord(RecordKind.USER, studentId);
        change(district, (active ? "reactivated" : "deactivated") + " student " + studentId, (s, run) -> {
            boolean changed = s.manual().setActive(district, run, RecordKind.USER, studentId, active);
            return s.manual().follow(district, run) > 0 || changed;
        });
        return studentOf(district, studentId);
    }

    @Override
    public ManualMembership join(String classId, String studentId) {
        String district = memberDistrict(classId, studentId);
        change(district, "joined student " + studentId + " to class " + classId, (s, run) -> {
            s.manual().setMembership(district, run, classId, studentId, true);
            return true;
        });
        return membershipOf(district, classId, studentId);
    }

    @Override
    public ManualMembership leave(String classId, String studentId) {
        String district = memberDistrict(classId, studentId);
        var existing = store.read(s -> s.manual().membership(district, classId, studentId));
        if (existing.isEmpty() || !existing.get().manual()) {
            throw new ConfigurationException("HR-MANUAL-010", "student " + studentId + " has no manual membership of class " + classId
                    + (existing.isPresent() ? ": Clever's enrollments make this one, so it follows Clever (change the enrollment there)"
                    : ": nothing to take back (see manual list)"));
        }
        change(district, "took student " + studentId + " out of class " + classId, (s, run) -> {
            s.manual().setMembership(district, run, classId, studentId, false);
            return true;
        });
        return membershipOf(district, classId, studentId);
    }

    @Override
    public List<ManualClass> classes(String districtId) {
        return store.read(s -> s.manual().rows(districtId, RecordKind.SECTION)).stream().map(ManualChanges::toClass).toList();
    }

    @Override
    public List<ManualStudent> students(String districtId) {
        return store.read(s -> s.manual().rows(districtId, RecordKind.USER)).stream().map(ManualChanges::toStudent).toList();
    }

    @Override
    public List<ManualMembership> memberships(String districtId) {
        return store.read(s -> s.manual().memberships(districtId)).stream()
                .map(m -> new ManualMembership(m.districtId(), m.classId(), m.userId(), Boolean.TRUE.equals(m.hostActive()), m.active()))
                .toList();
    }

    @Override
    public List<ManualClass> classes(String districtId, String afterId, int limit) {
        return store.read(s -> s.manual().rows(districtId, RecordKind.SECTION, blankToNull(afterId), limit)).stream()
                .map(ManualChanges::toClass).toList();
    }

    @Override
    public List<ManualStudent> students(String districtId, String afterId, int limit) {
        return store.read(s -> s.manual().rows(districtId, RecordKind.USER, blankToNull(afterId), limit)).stream()
                .map(ManualChanges::toStudent).toList();
    }

    @Override
    public List<ManualMembership> memberships(String districtId, String afterClassId, String afterStudentId, int limit) {
        return store.read(s -> s.manual().memberships(districtId, blankToNull(afterClassId), blankToNull(afterStudentId), limit)).stream()
                .map(m -> new ManualMembership(m.districtId(), m.classId(), m.userId(), Boolean.TRUE.equals(m.hostActive()), m.active()))
                .toList();
    }

    @Override
    public Optional<ManualClass> manualClass(String districtId, String classId) {
        String id = blankToNull(classId);
        return id == null ? Optional.empty() : store.read(s -> s.manual().row(districtId, RecordKind.SECTION, id)).map(ManualChanges::toClass);
    }

    @Override
    public Optional<ManualStudent> manualStudent(String districtId, String studentId) {
        String id = blankToNull(studentId);
        return id == null ? Optional.empty() : store.read(s -> s.manual().row(districtId, RecordKind.USER, id)).map(ManualChanges::toStudent);
    }

    // ---- the run each change is ----

    /** Runs one change as a run of its own, in one transaction; a change that changed nothing leaves no run behind. */
    private void change(String districtId, String what, BiFunction<StoreSession, String, Boolean> work) {
        if (!store.read(s -> s.manual().districtKnown(districtId))) {
            throw new ConfigurationException("HR-MANUAL-001", "no district " + districtId + " in this store: sync it first (see the"
                    + " districts command)");
        }
        refuseUnderLockdown(districtId);
        Instant started = Instant.now();
        String runId = SyncPipeline.newRunId(started);
        boolean changed = store.transaction(s -> {
            LocalDateTime at = LocalDateTime.ofInstant(started, ZoneOffset.UTC);
            s.runs().insertRun(runId, districtId, MODE, "RUNNING", at);
            boolean did = work.apply(s, runId);
            ObjectNode report = ReportJson.mapper().createObjectNode();
            report.put("runId", runId).put("districtId", districtId).put("mode", MODE).put("status", "SUCCEEDED").put("change", what);
            s.runs().finishRun(runId, "SUCCEEDED", LocalDateTime.now(ZoneOffset.UTC), null, report.toString(), 0, 0);
            return did;
        });
        if (!changed) {
            // nothing to record: take the empty run back rather than list it
            store.transaction(s -> {
                s.manual().deleteEmptyRun(runId);
                return null;
            });
        } else {
            log.info("HR-MANUAL-100 run {}: {} in district {}", runId, what, districtId);
        }
    }

    private void refuseUnderLockdown(String districtId) {
        if (rules.policies(districtId, plugins.forDistrict(districtId)).is("sync.strategy", "SIS_LOCKDOWN")) {
            throw new ConfigurationException("HR-MANUAL-002", "district " + districtId + " runs with sync.strategy=SIS_LOCKDOWN:"
                    + " Clever is the source of truth, so manual classes, students and memberships cannot be made or changed here"
                    + " (change the policy to PARTIAL_LOCKDOWN or TWO_WAY to allow them)");
        }
    }

    // ---- checks ----

    /** The district of a manual class or student; a synced one is refused with the fields it does let a person edit. */
    private String manualRecord(RecordKind kind, String id) {
        List<ManualStore.Found> found = store.read(s -> s.manual().find(kind, id));
        String noun = kind == RecordKind.USER ? "student" : "class";
        if (found.isEmpty()) {
            throw new ConfigurationException("HR-MANUAL-005", "no " + noun + " with id " + id + " in this store (see manual list)");
        }
        ManualStore.Found f = found.get(0);
        if (!f.manual()) {
            throw new ConfigurationException(kind == RecordKind.USER ? "HR-MANUAL-007" : "HR-MANUAL-006", noun + " " + id
                    + " is synced from Clever, which owns its values: only its " + (kind == RecordKind.USER
                    ? "graduation year can be edited here (SyncEngine.editGraduationYear)"
                    : "display name can be edited here (SyncEngine.editClassDisplayName)")
                    + "; change the rest in Clever, or make a manual " + noun + " (SyncEngine.manual())");
        }
        return f.districtId();
    }

    /** The district a class and a student share; either may be manual or synced. */
    private String memberDistrict(String classId, String studentId) {
        List<ManualStore.Found> classes = store.read(s -> s.manual().find(RecordKind.SECTION, classId));
        if (classes.isEmpty()) {
            throw new ConfigurationException("HR-MANUAL-008", "no class with id " + classId + " in this store (see manual list)");
        }
        List<ManualStore.Found> students = store.read(s -> s.manual().find(RecordKind.USER, studentId));
        for (ManualStore.Found c : classes) {
            boolean hasStudentAccount = store.read(s -> s.provisioning().provisioned(c.districtId(), RecordKind.USER, studentId)).stream()
                    .anyMatch(p -> ManualStore.STUDENT.equals(p.accountRole()));
            if (hasStudentAccount) {
                return c.districtId();
            }
        }
        throw new ConfigurationException("HR-MANUAL-009", (students.isEmpty() ? "no user with id " + studentId + " in this store"
                : "user " + studentId + " has no student account in district " + classes.get(0).districtId() + ", the district of class "
                + classId) + ": join a student of the class's district (see manual list)");
    }

    private static ClassValues check(ClassValues v) {
        if (v == null || v.name() == null || v.name().isBlank()) {
            throw new ConfigurationException("HR-MANUAL-003", "a manual class needs a name: give ClassValues a non-blank name");
        }
        length("name", v.name());
        length("subject", v.subject());
        length("grade", v.grade());
        return new ClassValues(v.name().strip(), blankToNull(v.subject()), blankToNull(v.grade()));
    }

    private static StudentValues check(StudentValues v) {
        if (v == null || v.firstName() == null || v.firstName().isBlank() || v.lastName() == null || v.lastName().isBlank()) {
            throw new ConfigurationException("HR-MANUAL-003", "a manual student needs a first and a last name: give StudentValues both");
        }
        String email = blankToNull(v.email());
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new ConfigurationException("HR-MANUAL-004", "'" + email + "' is not an email address: give one such as name@school.org,"
                    + " or none");
        }
        length("first name", v.firstName());
        length("last name", v.lastName());
        length("email", email);
        length("grade", v.grade());
        return new StudentValues(v.firstName().strip(), v.lastName().strip(), email, blankToNull(v.grade()));
    }

    private static void length(String what, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw new ConfigurationException("HR-MANUAL-011", "the " + what + " is " + value.length() + " characters long: give at most "
                    + MAX_TEXT);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // ---- reading back ----

    private ManualClass classOf(String districtId, String id) {
        return manualClass(districtId, id).orElseThrow();
    }

    private ManualStudent studentOf(String districtId, String id) {
        return manualStudent(districtId, id).orElseThrow();
    }

    private ManualMembership membershipOf(String districtId, String classId, String studentId) {
        return store.read(s -> s.manual().membership(districtId, classId, studentId))
                .map(m -> new ManualMembership(districtId, classId, studentId, Boolean.TRUE.equals(m.hostActive()), m.active()))
                .orElseThrow();
    }

    private static ManualClass toClass(ManualStore.ManualRow r) {
        Map<String, String> v = r.values();
        return new ManualClass(r.districtId(), r.id(), v.get("name"), v.get("subject"), v.get("grade"), r.active(), r.updatedRun());
    }

    private static ManualStudent toStudent(ManualStore.ManualRow r) {
        Map<String, String> v = r.values();
        return new ManualStudent(r.districtId(), r.id(), v.get("first_name"), v.get("last_name"), v.get("email"), v.get("grade"),
                r.active(), r.updatedRun());
    }
}
