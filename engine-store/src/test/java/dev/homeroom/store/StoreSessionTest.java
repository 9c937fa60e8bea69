package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.spi.Change;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The store's operations, each run on H2 and on PostgreSQL. */
class StoreSessionTest {
    private static final String D = "district-1";

    private static ShadowRecord user(String id, String hash, String email, String sis) {
        return new ShadowRecord(RecordKind.USER, id, hash, "{\"id\":\"" + id + "\"}", email, sis, "Last-" + id, null, null, null, null);
    }

    private static ShadowRecord section(String id, String hash, String term, String course, String teacher) {
        return new ShadowRecord(RecordKind.SECTION, id, hash, "{}", null, null, "Section " + id, term, course, teacher, "sch1");
    }

    private static void run(StoreSession s, String runId) {
        s.runs().ensureDistrict(D, "Test District");
        s.runs().insertRun(runId, D, "full", "RUNNING", LocalDateTime.now());
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void shadowDiffsPagesAndFindsWhatWentAway(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            PageDiff first = store.transaction(s -> {
                run(s, "r1");
                return s.shadow().applyPage(D, "r1", List.of(user("u1", "h1", null, null), user("u2", "h2", null, null), user("u3", "h3", null, null)));
            });
            assertThat(first.created()).containsExactly("u1", "u2", "u3");

            PageDiff second = store.transaction(s -> {
                run(s, "r2");
                var fetch = s.shadow().collection(D, "r2", RecordKind.USER);
                PageDiff diff = fetch.page(List.of(user("u1", "h1", null, null), user("u2", "h2-changed", null, null)), List.of());
                assertThat(fetch.finish()).containsExactly("u3");
                return diff;
            });
            assertThat(second.created()).isEmpty();
            assertThat(second.updated()).containsExactly("u2");
            assertThat(second.unchanged()).isEqualTo(1);

            List<FactRow> facts = store.read(s -> s.derive().facts(D, "r2", RecordKind.USER, null, 10));
            assertThat(facts).extracting(FactRow::cleverId, FactRow::change)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("u1", Change.UNCHANGED),
                            org.assertj.core.groups.Tuple.tuple("u2", Change.UPDATED),
                            org.assertj.core.groups.Tuple.tuple("u3", Change.GONE));

            // a later run no longer offers the user that went away earlier; one that comes back is CREATED again
            PageDiff third = store.transaction(s -> {
                run(s, "r3");
                return s.shadow().applyPage(D, "r3", List.of(user("u1", "h1", null, null), user("u2", "h2-changed", null, null)));
            });
            assertThat(third.unchanged()).isEqualTo(2);
            assertThat(store.<List<FactRow>>read(s -> s.derive().facts(D, "r3", RecordKind.USER, null, 10))).extracting(FactRow::cleverId).containsExactly("u1", "u2");
            PageDiff fourth = store.transaction(s -> {
                run(s, "r4");
                return s.shadow().applyPage(D, "r4", List.of(user("u3", "h3", null, null)));
            });
            assertThat(fourth.created()).containsExactly("u3");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFullFetchFindsWhatWentAwayBetweenPagesOutOfOrderAndAfterTheLastPage(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            List<String> all = List.of("a1", "a2", "b1", "b2", "c1", "c2", "d1", "d2", "e1");
            store.transaction(s -> {
                run(s, "r1");
                var fetch = s.shadow().collection(D, "r1", RecordKind.USER);
                fetch.page(all.stream().map(id -> user(id, "h", null, null)).toList(), List.of());
                assertThat(fetch.finish()).isEmpty();
                return null;
            });
            store.transaction(s -> {
                run(s, "r2");
                var fetch = s.shadow().collection(D, "r2", RecordKind.USER);
                // a1 gone before the first page, b2 gone between pages, c1 could not be read (kept as it was),
                // a2 comes late on a page out of order, e1 gone after the last page
                PageDiff first = fetch.page(List.of(user("b1", "h", null, null)), List.of());
                assertThat(first.unchanged()).isEqualTo(1);
                fetch.page(List.of(user("c2", "h-changed", null, null), user("d1", "h", null, null)), List.of("c1"));
                PageDiff late = fetch.page(List.of(user("a2", "h", null, null), user("d2", "h", null, null), user("f1", "h", null, null)), List.of());
                assertThat(late.created()).containsExactly("f1");
                assertThat(late.unchanged()).isEqualTo(2);
                assertThat(fetch.finish()).containsExactly("a1", "b2", "e1");
                return null;
            });
            assertThat(store.<Integer>read(s -> s.shadow().sharedCount(D, RecordKind.USER))).isEqualTo(7);
            store.transaction(s -> {
                run(s, "r3");
                // a collection that comes back empty loses everything it held (the guard decides whether to apply that)
                var fetch = s.shadow().collection(D, "r3", RecordKind.USER);
                assertThat(fetch.finish()).hasSize(7);
                return null;
            });
        }
    }

    private static List<DanglingReference> dangling(Store store, List<String> sections, List<String> users) {
        return store.read(s -> s.derive().danglingReferences(D, sections, users));
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void danglingReferencesOfSomeSectionsAndUsersAreTheWholeDistrictsLessTheOthers(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            store.transaction(s -> {
                run(s, "r1");
                s.shadow().applyPage(D, "r1", List.of(new ShadowRecord(RecordKind.SCHOOL, "sch1", "s", "{}", null, null, "North", null, null, null, null)));
                s.shadow().applyPage(D, "r1", List.of(new ShadowRecord(RecordKind.COURSE, "c1", "c", "{}", null, null, "Algebra", null, null, null, null)));
                s.shadow().applyPage(D, "r1", List.of(user("t1", "a", null, null), user("u1", "b", null, null)));
                s.shadow().applyPage(D, "r1", List.of(section("s1", "1", null, "c1", "t1"), section("s2", "2", null, "c-gone", "t1"),
                        section("s3", "3", null, "c1", "t1"), section("s4", "4", null, "c1", "t1"), section("s5", "5", null, "c1", "t-gone"),
                        section("s6", "6", null, null, "t1"))); // no course: nothing it could miss
                s.shadow().replaceEnrollments(D, List.of(
                        new SectionEnrollment("s1", "sch1", List.of("u1"), List.of("t1")),
                        new SectionEnrollment("s2", "sch1", List.of("u1"), List.of("t1")),
                        new SectionEnrollment("s3", "sch1", List.of("u1", "u-gone"), List.of("t1")),
                        new SectionEnrollment("s4", "sch1", List.of("u1"), List.of("t1")),
                        new SectionEnrollment("s5", "sch1", List.of("u1"), List.of("t-gone"))));
                return null;
            });
            List<DanglingReference> whole = store.read(s -> s.derive().danglingReferences(D));
            assertThat(whole).extracting(r -> r.cleverId() + " " + r.field() + " " + r.target())
                    .containsExactlyInAnyOrder("s2 course c-gone", "s3 students u-gone", "s5 teacher t-gone");
            assertThat(dangling(store, List.of("s1", "s2", "s3", "s4", "s5", "s6"), List.of()))
                    .as("every section: the whole district's").containsExactlyInAnyOrderElementsOf(whole);
            assertThat(dangling(store, List.of("s2"), List.of()))
                    .extracting(DanglingReference::cleverId, DanglingReference::field).containsExactly(org.assertj.core.groups.Tuple.tuple("s2", "course"));
            assertThat(dangling(store, List.of("s1", "s4", "s6"), List.of())).isEmpty();
            assertThat(dangling(store, List.of(), List.of("u-gone")))
                    .as("a user taken away leads to the sections that still list it")
                    .extracting(DanglingReference::cleverId, DanglingReference::target).containsExactly(org.assertj.core.groups.Tuple.tuple("s3", "u-gone"));
            assertThat(dangling(store, List.of("s3"), List.of("u-gone", "t-gone")))
                    .as("found both ways, reported once").extracting(DanglingReference::cleverId)
                    .containsExactly("s3", "s5");
            // a run that knows its new enrollment rows: school and course of the sections, enrollments of the users named
            assertThat(store.<List<DanglingReference>>read(s -> s.derive().danglingReferencesOf(D, List.of("s2", "s3"), List.of())))
                    .as("a section's enrollments are not looked at").extracting(r -> r.cleverId() + " " + r.field())
                    .containsExactly("s2 course");
            assertThat(store.<List<DanglingReference>>read(s -> s.derive().danglingReferencesOf(D, List.of(), List.of("u1", "u-gone", "t-gone"))))
                    .as("the users the rows name").extracting(r -> r.cleverId() + " " + r.field() + " " + r.target())
                    .containsExactly("s3 students u-gone", "s5 teacher t-gone");
        }
    }

    @org.junit.jupiter.api.Test
    void postgresqlStatisticsAreRefreshedForATableThisTransactionFilledAndNotForAFewRowsMore() {
        try (Store store = TestDatabases.open(Vendor.POSTGRESQL)) {
            store.transaction(s -> {
                run(s, "r1");
                List<ShadowRecord> users = new java.util.ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    users.add(user(String.format("u%05d", i), "h", null, null));
                }
                s.shadow().applyPage(D, "r1", users);
                assertThat(plannerRows(s)).as("the planner has not counted them yet").isLessThan(2_000);
                s.refreshStatistics();
                assertThat(plannerRows(s)).as("a table this transaction filled is analysed").isEqualTo(2_000);
                s.shadow().applyPage(D, "r1", List.of(user("v1", "h", null, null), user("v2", "h", null, null)));
                s.refreshStatistics();
                assertThat(plannerRows(s)).as("two rows more are not worth an ANALYZE").isEqualTo(2_000);
                return null;
            });
        }
    }

    private static long plannerRows(StoreSession s) {
        return s.ctx().fetchOne("select greatest(reltuples, 0)::bigint from pg_class where oid = to_regclass('clever_record')").get(0, Long.class);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void derivesSectionCountsSchoolsAndDuplicates(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            store.transaction(s -> {
                run(s, "r1");
                s.shadow().applyPage(D, "r1", List.of(
                        user("t1", "a", "teach@x.org", "T1"),
                        user("u1", "b", "same@x.org", "S1"),
                        user("u2", "c", "same@x.org", "S2"),
                        user("u3", "d", "other@x.org", "S2"),
                        user("u4", "e", null, null)));
                s.shadow().applyPage(D, "r1", List.of(new ShadowRecord(RecordKind.TERM, "term1", "t", "{}", null, null, "Fall", null, null, null, null)));
                s.shadow().applyPage(D, "r1", List.of(new ShadowRecord(RecordKind.COURSE, "c1", "c", "{}", null, null, "Algebra", null, null, null, null)));
                s.shadow().applyPage(D, "r1", List.of(section("s1", "x", "term1", "c1", "t1"), section("s2", "y", "gone-term", null, "t1")));
                s.shadow().replaceEnrollments(D, List.of(
                        new SectionEnrollment("s1", "schoolA", List.of("u1", "u2", "u1"), List.of("t1")),
                        new SectionEnrollment("s2", "schoolB", List.of("u1"), List.of("t1"))));
                return null;
            });
            Map<String, FactRow> users = byId(store.read(s -> s.derive().facts(D, "r1", RecordKind.USER, null, 100)));
            assertThat(users.get("u1").count1()).as("u1 is a student in two sections").isEqualTo(2);
            assertThat(users.get("u1").schools()).containsExactly("schoolA", "schoolB");
            assertThat(users.get("t1").count2()).isEqualTo(2);
            assertThat(users.get("u4").count1() + users.get("u4").count2()).isZero();
            assertThat(users.get("u1").flag1()).as("duplicate email").isTrue();
            assertThat(users.get("u3").flag1()).isFalse();
            assertThat(users.get("u2").flag2()).as("duplicate sis id").isTrue();
            assertThat(users.get("u1").flag2()).isFalse();
            assertThat(users.get("u1").text1()).as("u1 keeps the shared email, and is told who shares it").isEqualTo("u2");
            assertThat(users.get("u2").text2()).as("u2 keeps the shared SIS id, and is told who shares it").isEqualTo("u3");
            assertThat(users.get("u4").text1()).as("no one shares u4's email").isNull();
            assertThat(users.get("u2").text1()).as("u2 is the later duplicate of u1").isEqualTo("u1");
            assertThat(users.get("u3").text2()).as("u3 is the later duplicate SIS id of u2").isEqualTo("u2");

            Map<String, FactRow> sections = byId(store.read(s -> s.derive().facts(D, "r1", RecordKind.SECTION, null, 100)));
            assertThat(sections.get("s1").count1()).isEqualTo(2);
            assertThat(sections.get("s1").flag1()).as("term shared").isTrue();
            assertThat(sections.get("s2").flag1()).as("term not shared").isFalse();
            assertThat(sections.get("s1").text1()).isEqualTo("Algebra");
            assertThat(sections.get("s1").text2()).isEqualTo("Last-t1");

            assertThat(store.read(s -> s.derive().facts(D, "r1", RecordKind.TERM, null, 10)).get(0).count1()).isEqualTo(1);

            // keyset batches cover every record once
            List<FactRow> page1 = store.read(s -> s.derive().facts(D, "r1", RecordKind.USER, null, 2));
            List<FactRow> page2 = store.read(s -> s.derive().facts(D, "r1", RecordKind.USER, page1.get(1).cleverId(), 2));
            List<FactRow> page3 = store.read(s -> s.derive().facts(D, "r1", RecordKind.USER, page2.get(1).cleverId(), 2));
            assertThat(page1.size() + page2.size() + page3.size()).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void reconcilesProvisionedRowsAndKeepsEdits(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            String name = "Zoë O'Brien-Núñez 🎒";
            Map<String, ProvisionedChange> first = store.transaction(s -> {
                run(s, "r1");
                return s.provisioning().reconcile(D, "r1", RecordKind.USER, List.of(
                        account("u1", "student", name, LocalDate.of(2012, 2, 11)),
                        account("u2", "teacher", "Ann", null)), List.of());
            });
            assertThat(first).containsEntry("u1/student", ProvisionedChange.CREATED).containsEntry("u2/teacher", ProvisionedChange.CREATED);
            assertThat(store.read(s -> s.provisioning().provisioned(D, RecordKind.USER, "u1")).get(0).values().get("first_name")).isEqualTo(name);

            Map<String, ProvisionedChange> second = store.transaction(s -> {
                run(s, "r2");
                return s.provisioning().reconcile(D, "r2", RecordKind.USER, List.of(
                        account("u1", "student", name, LocalDate.of(2012, 2, 11)),
                        account("u2", "teacher", "Anne", null)), List.of());
            });
            assertThat(second).containsEntry("u1/student", ProvisionedChange.UNCHANGED).containsEntry("u2/teacher", ProvisionedChange.UPDATED);

            Map<String, ProvisionedChange> third = store.transaction(s -> {
                run(s, "r3");
                return s.provisioning().reconcile(D, "r3", RecordKind.USER, List.of(account("u2", "staff", "Anne", null)), List.of("u1"));
            });
            assertThat(third).containsEntry("u1/student", ProvisionedChange.DEACTIVATED)
                    .containsEntry("u2/staff", ProvisionedChange.CREATED)
                    .containsEntry("u2/teacher", ProvisionedChange.DEACTIVATED);
            assertThat(store.<Integer>read(s -> s.provisioning().activeCount(D, RecordKind.USER))).isEqualTo(1);

            Map<String, ProvisionedChange> fourth = store.transaction(s -> {
                run(s, "r4");
                return s.provisioning().reconcile(D, "r4", RecordKind.USER, List.of(account("u1", "student", name, LocalDate.of(2012, 2, 11))), List.of());
            });
            assertThat(fourth).containsEntry("u1/student", ProvisionedChange.REACTIVATED);
            assertThat(store.<Integer>read(s -> s.outbox().count(D, "r3"))).isEqualTo(3);

            // an inferred graduation year is set once: a later sync inferring another year keeps the first
            store.transaction(s -> {
                run(s, "r4b");
                return s.provisioning().reconcile(D, "r4b", RecordKind.USER, List.of(withYear(account("u9", "student", "Kim", null), "2031")), List.of());
            });
            store.transaction(s -> {
                run(s, "r4c");
                return s.provisioning().reconcile(D, "r4c", RecordKind.USER, List.of(withYear(account("u9", "student", "Kim", null), "2032")), List.of());
            });
            assertThat(store.<List<Provisioned>>read(s -> s.provisioning().provisioned(D, RecordKind.USER, "u9")).get(0).values())
                    .containsEntry("graduation_year", "2031");

            // a display name a person edited survives later syncs
            store.transaction(s -> {
                run(s, "r5");
                s.provisioning().reconcile(D, "r5", RecordKind.SECTION, List.of(classroom("s1", "Math 7")), List.of());
                s.edits().editClassDisplayName(D, "s1", "Mr. K's Mathletes");
                return null;
            });
            store.transaction(s -> {
                run(s, "r6");
                return s.provisioning().reconcile(D, "r6", RecordKind.SECTION, List.of(classroom("s1", "Math 7 renamed")), List.of());
            });
            Provisioned cls = store.read(s -> s.provisioning().provisioned(D, RecordKind.SECTION, "s1")).get(0);
            assertThat(cls.values()).containsEntry("display_name", "Mr. K's Mathletes").containsEntry("name", "Math 7 renamed");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void membershipsFollowEnrollmentsAndActiveRows(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            int[] created = store.transaction(s -> {
                run(s, "r1");
                s.shadow().applyPage(D, "r1", List.of(section("s1", "x", null, null, "t1")));
                s.shadow().replaceEnrollments(D, List.of(new SectionEnrollment("s1", "sch", List.of("u1", "u2"), List.of("t1"))));
                s.provisioning().reconcile(D, "r1", RecordKind.USER, List.of(account("u1", "student", "A", null), account("t1", "teacher", "T", null)), List.of());
                s.provisioning().reconcile(D, "r1", RecordKind.SECTION, List.of(classroom("s1", "Math")), List.of());
                return s.provisioning().syncMemberships(D, "r1");
            });
            assertThat(created).containsExactly(2, 0, 0);
            assertThat(store.<List<String>>read(s -> s.provisioning().memberships(D, "u1"))).containsExactly("s1");
            assertThat(store.<List<String>>read(s -> s.provisioning().memberships(D, "u2"))).as("u2 has no account").isEmpty();

            int[] after = store.transaction(s -> {
                run(s, "r2");
                s.provisioning().reconcile(D, "r2", RecordKind.USER, List.of(), List.of("u1"));
                return s.provisioning().syncMemberships(D, "r2");
            });
            assertThat(after).containsExactly(0, 0, 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSectionWhoseEnrollmentsAloneChangedChecksOnlyTheMembersThatCameOrWent(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            store.transaction(s -> {
                run(s, "r1");
                s.shadow().applyPage(D, "r1", List.of(section("s1", "x", null, null, "t1")));
                s.shadow().replaceEnrollments(D, List.of(new SectionEnrollment("s1", "sch", List.of("u1", "u2"), List.of("t1"))));
                s.provisioning().reconcile(D, "r1", RecordKind.USER, List.of(account("u1", "student", "A", null),
                        account("u2", "student", "B", null), account("u3", "student", "C", null), account("t1", "teacher", "T", null)), List.of());
                s.provisioning().reconcile(D, "r1", RecordKind.SECTION, List.of(classroom("s1", "Math")), List.of());
                return s.provisioning().syncMemberships(D, "r1");
            });
            var changes = store.transaction(s -> {
                run(s, "r2");
                // u2 leaves, u3 joins; u1 and t1 stay
                return s.shadow().replaceEnrollments(D, List.of(new SectionEnrollment("s1", "sch", List.of("u1", "u3"), List.of("t1"))),
                        java.util.Set.of(), java.util.Map.of());
            });
            assertThat(changes.sections()).containsExactly("s1");
            assertThat(changes.members()).containsExactlyInAnyOrder(List.of("s1", "u2"), List.of("s1", "u3"));

            int[] synced = store.transaction(s -> s.provisioning().syncMemberships(D, "r2", List.of(), List.of(), changes.members()));
            assertThat(synced).as("u3 created, u2 deactivated").containsExactly(1, 0, 1);
            assertThat(store.<List<String>>read(s -> s.provisioning().memberships(D, "u3"))).containsExactly("s1");
            assertThat(store.<List<String>>read(s -> s.provisioning().memberships(D, "u2"))).isEmpty();
            assertThat(store.<List<String>>read(s -> s.provisioning().memberships(D, "u1"))).containsExactly("s1");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void primarySchoolOnlyLimitsMembershipsAndDerivedValuesFollowThem(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            store.transaction(s -> {
                run(s, "r1");
                s.shadow().replaceEnrollments(D, List.of(
                        new SectionEnrollment("sA", "schoolA", List.of("u1", "u2", "u3"), List.of()),
                        new SectionEnrollment("sB", "schoolB", List.of("u1", "u2"), List.of())));
                s.provisioning().reconcile(D, "r1", RecordKind.SECTION, List.of(classroom("sA", "A"), classroom("sB", "B")), List.of());
                s.provisioning().reconcile(D, "r1", RecordKind.USER, List.of(
                        student("u1", "schoolA", "7", "PRIMARY_SCHOOL_ONLY,PRIMARY_CLASS"),
                        student("u2", "schoolA", "8", ""),
                        student("u3", "schoolA", "8", "")), List.of());
                s.provisioning().syncMemberships(D, "r1");
                s.provisioning().deriveFromMemberships(D);
                return null;
            });
            assertThat(store.<List<String>>read(s -> s.provisioning().memberships(D, "u1"))).as("only the primary school's section").containsExactly("sA");
            assertThat(store.<List<String>>read(s -> s.provisioning().memberships(D, "u2"))).containsExactly("sA", "sB");
            Map<String, Object> u1 = store.<List<Provisioned>>read(s -> s.provisioning().provisioned(D, RecordKind.USER, "u1")).get(0).values();
            assertThat(u1).containsEntry("primary_class_id", "sA");
            Map<String, Object> u2 = store.<List<Provisioned>>read(s -> s.provisioning().provisioned(D, RecordKind.USER, "u2")).get(0).values();
            assertThat(u2.get("primary_class_id")).as("no PRIMARY_CLASS flag").isNull();
            assertThat(store.<List<Provisioned>>read(s -> s.provisioning().provisioned(D, RecordKind.SECTION, "sA")).get(0).values())
                    .as("sA has students in grades 7, 8, 8").containsEntry("derived_grade", "8");
        }
    }

    /**
     * What a run that changed few records derives for the sections and users it changed agrees with what the whole
     * district's derivation gives, and counts as it does: a grade is its active students' (not a teacher's, not a
     * member who left), and a student flagged for a default class who left one of the changed sections is found
     * through that section alone.
     */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void derivedValuesOfAChangedSectionAgreeWithTheWholeDistricts(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            store.transaction(s -> {
                run(s, "r1");
                s.shadow().replaceEnrollments(D, List.of(
                        new SectionEnrollment("sA", "schoolA", List.of("u1", "u2", "u3", "u5", "u6", "u8"), List.of("t1")),
                        new SectionEnrollment("sB", "schoolA", List.of("u1", "u3"), List.of())));
                s.provisioning().reconcile(D, "r1", RecordKind.SECTION, List.of(classroom("sA", "A"), classroom("sB", "B")), List.of());
                Map<String, Object> teacher = new java.util.LinkedHashMap<>();
                teacher.put("granted_roles", "teacher");
                teacher.put("grade", "8");
                s.provisioning().reconcile(D, "r1", RecordKind.USER, List.of(
                        student("u1", "schoolA", "7", "PRIMARY_CLASS"), student("u2", "schoolA", "8", ""),
                        student("u3", "schoolA", "8", ""), student("u5", "schoolA", "7", ""), student("u6", "schoolA", "8", ""),
                        student("u7", "schoolA", "7", ""), student("u8", "schoolA", "8", ""),
                        new Provisioned(RecordKind.USER, "t1", "teacher", true, teacher)), List.of());
                s.provisioning().syncMemberships(D, "r1");
                s.provisioning().deriveFromMemberships(D);
                return null;
            });
            assertThat(derivedGrades(store)).containsEntry("sA", "8").containsEntry("sB", "7");
            assertThat(defaultClasses(store)).containsEntry("u1", "sA");
            store.transaction(s -> {
                run(s, "r2");
                // u1, u2, u6 and u8 leave sA, u7 joins: 7, 7 and 8 stay, 7, 8, 8 and 8 left, and the teacher's 8 never counts
                var changes = s.shadow().replaceEnrollments(D, List.of(new SectionEnrollment("sA", "schoolA", List.of("u3", "u5", "u7"),
                        List.of("t1"))), java.util.Set.of(), Map.of());
                s.provisioning().syncMemberships(D, "r2", List.of(), List.of(), changes.members());
                s.provisioning().deriveFromMemberships(D, List.of("sA"), List.of(), List.of());
                return null;
            });
            Map<String, String> grades = derivedGrades(store);
            Map<String, String> defaults = defaultClasses(store);
            assertThat(grades).containsEntry("sA", "7").containsEntry("sB", "7");
            assertThat(defaults).as("u1 left sA: its default class is sB").containsEntry("u1", "sB");
            store.transaction(s -> {
                s.ctx().update(CLASSROOM).setNull(CLASSROOM.DERIVED_GRADE).where(CLASSROOM.DISTRICT_ID.eq(D)).execute();
                s.ctx().update(ACCOUNT).setNull(ACCOUNT.PRIMARY_CLASS_ID).where(ACCOUNT.DISTRICT_ID.eq(D)).execute();
                s.provisioning().deriveFromMemberships(D);
                return null;
            });
            assertThat(derivedGrades(store)).isEqualTo(grades);
            assertThat(defaultClasses(store)).isEqualTo(defaults);
        }
    }

    private static Map<String, String> derivedGrades(Store store) {
        return byId(store, CLASSROOM, CLASSROOM.CLEVER_ID, CLASSROOM.DERIVED_GRADE, CLASSROOM.DISTRICT_ID);
    }

    private static Map<String, String> defaultClasses(Store store) {
        return byId(store, ACCOUNT, ACCOUNT.CLEVER_ID, ACCOUNT.PRIMARY_CLASS_ID, ACCOUNT.DISTRICT_ID);
    }

    /** One column of the district's rows of a table, by id (nulls kept). */
    private static Map<String, String> byId(Store store, org.jooq.Table<?> table, org.jooq.Field<String> id,
                                            org.jooq.Field<String> value, org.jooq.Field<String> district) {
        Map<String, String> values = new java.util.TreeMap<>();
        store.<Void>read(s -> {
            s.ctx().select(id, value).from(table).where(district.eq(D)).forEach(x -> values.put(x.value1(), x.value2()));
            return null;
        });
        return values;
    }

    private static Provisioned student(String id, String primarySchool, String grade, String flags) {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("granted_roles", "student");
        v.put("primary_school_id", primarySchool);
        v.put("grade", grade);
        v.put("flags", flags);
        return new Provisioned(RecordKind.USER, id, "student", true, v);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void decisionsHistoryAndWarningsAreKept(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            store.transaction(s -> {
                run(s, "r1");
                s.decisions().save(D, "r1", List.of(new DecisionState(RecordKind.USER, "u1", Outcome.SKIPPED, "teacher", "h1",
                        List.of(new DecisionDetail("OUTCOME", "P1-SKIP", "SKIPPED", null, null, "no sections")))));
                s.runs().addWarnings(D, List.of(new WarningRow("r1", RecordKind.USER, "u1", "NAME_TRIMMED", "name.first", "trimmed", "P8")));
                s.runs().addWarnings(D, List.of(new WarningRow("r1", RecordKind.USER, "u2", "DOB_FILLER", "dob", "filler", "P5")));
                return null;
            });
            store.transaction(s -> {
                run(s, "r2");
                s.decisions().save(D, "r2", List.of(new DecisionState(RecordKind.USER, "u1", Outcome.PROVISIONED, "teacher", "h2",
                        List.of(new DecisionDetail("ROLE", "P2-HIGHEST", null, "role", "teacher", "highest role")))));
                return null;
            });
            DecisionState state = store.read(s -> s.decisions().decisionState(D, RecordKind.USER, "u1")).orElseThrow();
            assertThat(state.outcome()).isEqualTo(Outcome.PROVISIONED);
            assertThat(state.details()).extracting(DecisionDetail::ruleId).containsExactly("P2-HIGHEST");
            assertThat(store.<List<HistoryRow>>read(s -> s.decisions().history(D, RecordKind.USER, "u1"))).extracting(HistoryRow::outcome)
                    .containsExactly("SKIPPED", "PROVISIONED");
            assertThat(store.<List<WarningRow>>read(s -> s.runs().warnings(D, "r1", null, 100))).extracting(WarningRow::code).containsExactly("NAME_TRIMMED", "DOB_FILLER");
        }
    }

    /**
     * Issue 7 (store size): a decision's outcome line is kept once (in the outcome's rule and reason), and the
     * decision still read back whole and in order; one whose outcome started in an earlier run, for another reason, keeps its own line.
     */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aDecisionsOutcomeLineIsStoredOnceAndReadBackWhole(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            DecisionDetail first = new DecisionDetail("OUTCOME", "engine:default", "PROVISIONED", null, null, "no rule decided against it");
            DecisionDetail later = new DecisionDetail("OUTCOME", "P7-KEEP", "PROVISIONED", null, null, "kept for another reason");
            DecisionDetail role = new DecisionDetail("ROLE", "P2-SINGLE-ROLE", null, "role", "student", "the user holds one role");
            DecisionDetail loser = new DecisionDetail("OUTCOME", "P9-SKIP", "SKIPPED", null, null, "outranked");
            store.transaction(s -> {
                run(s, "r1");
                s.decisions().save(D, "r1", List.of(new DecisionState(RecordKind.USER, "u1", Outcome.PROVISIONED, "student", "h1", List.of(first)),
                        new DecisionState(RecordKind.USER, "u2", Outcome.PROVISIONED, "student", "h1", List.of(first, loser, role))));
                return null;
            });
            assertThat(store.<Integer>read(s -> s.ctx().fetchCount(s.ctx().selectOne().from("record_state").where("details like '=%'"
                    + " and details not like '%no rule decided%'")))).as("the outcome line is not stored a second time").isEqualTo(2);
            assertThat(store.read(s -> s.decisions().decisionState(D, RecordKind.USER, "u1")).orElseThrow().details()).containsExactly(first);

            store.transaction(s -> {
                run(s, "r2");
                s.decisions().save(D, "r2", List.of(new DecisionState(RecordKind.USER, "u1", Outcome.PROVISIONED, "student", "h2", List.of(later))));
                return null;
            });
            assertThat(store.read(s -> s.decisions().decisionState(D, RecordKind.USER, "u1")).orElseThrow().details())
                    .as("the outcome kept the rule it started with; the decision's own line is kept beside it").containsExactly(later);
            assertThat(store.<Map<String, String[]>>read(s -> s.decisions().outcomeRules(D, RecordKind.USER, List.of("u1"))).get("u1"))
                    .containsExactly("engine:default", "no rule decided against it");
            assertThat(store.read(s -> s.decisions().decisionState(D, RecordKind.USER, "u2")).orElseThrow().details())
                    .as("read back whole, in order").containsExactly(first, loser, role);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void rolledBackWorkLeavesNothingAndFailedTransactionsRollBack(Vendor vendor) {
        try (Store store = TestDatabases.open(vendor)) {
            int created = store.rolledBack(s -> {
                run(s, "plan1");
                return s.shadow().applyPage(D, "plan1", List.of(user("u1", "h", null, null))).created().size();
            });
            assertThat(created).isEqualTo(1);
            assertThat(store.<java.util.Optional<RunRow>>read(s -> s.runs().run("plan1"))).isEmpty();
            assertThatThrownBy(() -> store.transaction(s -> {
                run(s, "r1");
                s.shadow().applyPage(D, "r1", List.of(user("u1", "h", null, null)));
                throw new IllegalStateException("crash before commit");
            })).hasMessage("crash before commit");
            assertThat(store.<Integer>read(s -> s.shadow().sharedCount(D, RecordKind.USER))).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void badConfigurationFailsWithOneLine() {
        assertThatThrownBy(() -> StoreConfig.of("jdbc:mysql://x/y", "u", "p"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("use jdbc:h2:file:")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(StoreConfig.of("jdbc:postgresql://h/db", "u", "secret").toString()).doesNotContain("secret");
        assertThatThrownBy(() -> Store.open(StoreConfig.of("jdbc:postgresql://127.0.0.1:1/nothing", "u", "p")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/nothing");
    }

    private static Map<String, FactRow> byId(List<FactRow> rows) {
        return rows.stream().collect(java.util.stream.Collectors.toMap(FactRow::cleverId, r -> r));
    }

    private static Provisioned account(String id, String role, String first, LocalDate dob) {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("granted_roles", role);
        v.put("first_name", first);
        v.put("dob", dob);
        return new Provisioned(RecordKind.USER, id, role, true, v);
    }

    private static Provisioned withYear(Provisioned p, String year) {
        Map<String, Object> v = new java.util.LinkedHashMap<>(p.values());
        v.put("graduation_year", year);
        return new Provisioned(p.kind(), p.cleverId(), p.accountRole(), true, v, java.util.Set.of("graduation_year"));
    }

    private static Provisioned classroom(String id, String name) {
        return new Provisioned(RecordKind.SECTION, id, null, true, Map.of("name", name, "display_name", name));
    }
}
