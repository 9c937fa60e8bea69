package dev.homeroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.spi.RecordKind;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's side of manual resources (V012), on H2 and PostgreSQL: both ways a sync brings memberships in line with
 * enrollments (the whole district, or the sections and users a run changed) leave manual memberships alone; reconcile,
 * the counts the safety guard reads, a plan's changes and a revert skip manual rows; manual memberships follow their
 * class and accounts.
 */
class ManualStoreTest {
    private static final String D = "district-m";

    private static void run(StoreSession s, String runId) {
        s.runs().ensureDistrict(D, "Manual District");
        s.runs().insertRun(runId, D, "full", "RUNNING", LocalDateTime.now());
    }

    private static Provisioned student(String id) {
        return new Provisioned(RecordKind.USER, id, "student", true, Map.of("granted_roles", "student", "first_name", id));
    }

    private static Provisioned classroom(String id) {
        return new Provisioned(RecordKind.SECTION, id, null, true, Map.of("name", id, "display_name", id));
    }

    /** s1 (synced) enrolls u1 and u2; mc (manual class) and mu (manual student); mu joins s1 and mc, u1 joins mc. */
    private static void setUp(Store store) {
        store.transaction(s -> {
            run(s, "r1");
            s.shadow().replaceEnrollments(D, List.of(new SectionEnrollment("s1", "sch", List.of("u1", "u2"), List.of())));
            s.provisioning().reconcile(D, "r1", RecordKind.USER, List.of(student("u1"), student("u2")), List.of());
            s.provisioning().reconcile(D, "r1", RecordKind.SECTION, List.of(classroom("s1")), List.of());
            s.provisioning().syncMemberships(D, "r1");
            s.runs().insertRun("m1", D, "manual", "SUCCEEDED", LocalDateTime.now());
            s.manual().createClass(D, "m1", "manual-c", "Club", "Art", "5");
            s.manual().createStudent(D, "m1", "manual-s", "Mo", "Manual", null, "5");
            s.manual().setMembership(D, "m1", "s1", "manual-s", true);
            s.manual().setMembership(D, "m1", "manual-c", "manual-s", true);
            s.manual().setMembership(D, "m1", "manual-c", "u1", true);
            return null;
        });
    }

    private static Map<String, Boolean> manualActive(Store store) {
        Map<String, Boolean> out = new java.util.TreeMap<>();
        store.read(s -> s.manual().memberships(D)).forEach(m -> out.put(m.classId() + "/" + m.userId(), m.active()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void bothMembershipStatementsLeaveManualMembershipsAloneAndTheyFollowTheirClass(Vendor vendor) {
        for (boolean wholeDistrict : new boolean[] {true, false}) {
            try (Store store = TestDatabases.open(vendor)) {
                setUp(store);
                assertThat(manualActive(store)).containsExactlyInAnyOrderEntriesOf(
                        Map.of("s1/manual-s", true, "manual-c/manual-s", true, "manual-c/u1", true));
                // Clever stops enrolling u2 in s1 and enrolls nobody else: u2's membership goes, the manual ones stay
                int[] changed = store.transaction(s -> {
                    run(s, "r2");
                    s.shadow().replaceEnrollments(D, List.of(new SectionEnrollment("s1", "sch", List.of("u1"), List.of())));
                    int[] m = wholeDistrict ? s.provisioning().syncMemberships(D, "r2")
                            : s.provisioning().syncMemberships(D, "r2", List.of("s1", "manual-c"), List.of("u1", "u2", "manual-s"));
                    assertThat(s.manual().follow(D, "r2")).isZero();
                    return m;
                });
                assertThat(changed).as("whole district: " + wholeDistrict).containsExactly(0, 0, 1);
                assertThat(manualActive(store)).doesNotContainValue(false);
                assertThat(store.<List<String>>read(s -> s.provisioning().memberships(D, "u2"))).isEmpty();
                assertThat(store.<java.util.Optional<ManualStore.MembershipRow>>read(s -> s.manual().membership(D, "s1", "manual-s")).orElseThrow().updatedRun()).isEqualTo("m1");

                // the sync deactivates s1: the manual membership stays, inactive, and comes back with its class
                store.transaction(s -> {
                    run(s, "r3");
                    s.provisioning().reconcile(D, "r3", RecordKind.SECTION, List.of(), List.of("s1"));
                    if (wholeDistrict) {
                        s.provisioning().syncMemberships(D, "r3");
                    } else {
                        s.provisioning().syncMemberships(D, "r3", List.of("s1"), List.of());
                    }
                    assertThat(s.manual().follow(D, "r3")).isEqualTo(1);
                    return null;
                });
                assertThat(manualActive(store)).containsEntry("s1/manual-s", false).containsEntry("manual-c/manual-s", true);
                assertThat(store.<List<OutboxRow>>read(s -> s.outbox().pending(1000))).filteredOn(o -> o.runId().equals("r3"))
                        .extracting(o -> o.entity() + " " + o.key() + " " + o.change())
                        .contains("membership s1/manual-s/student DEACTIVATED");
                store.transaction(s -> {
                    run(s, "r4");
                    s.provisioning().reconcile(D, "r4", RecordKind.SECTION, List.of(classroom("s1")), List.of());
                    s.provisioning().syncMemberships(D, "r4");
                    s.manual().follow(D, "r4");
                    return null;
                });
                assertThat(manualActive(store)).doesNotContainValue(false);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void reconcileTheGuardsCountsPlansAndRevertsSkipManualRows(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            setUp(store);
            assertThat(store.<Integer>read(s -> s.provisioning().activeCount(D, RecordKind.USER))).as("u1, u2; not manual-s").isEqualTo(2);
            assertThat(store.<Integer>read(s -> s.provisioning().activeCount(D, RecordKind.SECTION))).isEqualTo(1);
            assertThat(store.<Long>read(s -> s.provisioning().activeMembershipCount(D))).as("Clever's two").isEqualTo(2);
            assertThat(store.<List<RevertStore.RowChange>>read(s -> s.reverts().changesOf(D, "m1"))).as("a manual change is no plan's").isEmpty();

            // a run that names the manual ids (it never does: Clever does not know them) changes nothing of theirs
            store.transaction(s -> {
                run(s, "r2");
                var changes = s.provisioning().reconcile(D, "r2", RecordKind.USER, List.of(), List.of("manual-s", "u2"));
                assertThat(changes).containsOnlyKeys("u2/student");
                s.provisioning().syncMemberships(D, "r2");
                s.manual().follow(D, "r2");
                s.provisioning().deriveFromMemberships(D);
                return null;
            });
            assertThat(store.<List<ManualStore.ManualRow>>read(s -> s.manual().rows(D, RecordKind.USER))).singleElement()
                    .satisfies(r -> assertThat(r.active()).isTrue())
                    .satisfies(r -> assertThat(r.updatedRun()).isEqualTo("m1"));
            assertThat(store.<List<Provisioned>>read(s -> s.provisioning().provisioned(D, RecordKind.SECTION, "manual-c")).get(0).values())
                    .as("a sync derives no grade for a manual class").containsEntry("derived_grade", null);

            // reverting the first run deactivates what it created; the manual rows stay
            store.transaction(s -> {
                run(s, "rv");
                RevertStore.Reverted reverted = s.reverts().revert(D, "r1", "rv");
                assertThat(reverted.changes()).noneMatch(c -> c.key().contains("manual-"));
                s.manual().follow(D, "rv");
                return null;
            });
            assertThat(store.<List<ManualStore.ManualRow>>read(s -> s.manual().rows(D, RecordKind.SECTION))).singleElement()
                    .satisfies(r -> assertThat(r.active()).isTrue());
            assertThat(store.<List<ManualStore.ManualRow>>read(s -> s.manual().rows(D, RecordKind.USER))).singleElement()
                    .satisfies(r -> assertThat(r.active()).isTrue());
            // u1's account and s1 went with the reverted run: the manual memberships of them follow, manual-c/manual-s stays
            assertThat(manualActive(store)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("s1/manual-s", false, "manual-c/manual-s", true, "manual-c/u1", false));
        }
    }
}
