package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.Term;
import dev.homeroom.spi.User;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10 item 6: Clever's identity quirks. A user re-created under a new Clever id (same SIS id and email) keeps their
 * account, memberships and history under the new id (P17 {@code users.reissued_id = LINK}); a term deleted and
 * re-created with a new id while its sections move to it takes over without the classes flapping; a section moved
 * from one term to another keeps its class and memberships.
 */
class IdentityQuirksTest {
    @TempDir
    Path dir;

    /** A plugin that shares records under other ids, as Clever does when a district re-creates them. */
    static final class Reissue extends dev.homeroom.host.testing.TransformingPlugin {
        final Map<String, String> users = new ConcurrentHashMap<>();
        final Map<String, String> terms = new ConcurrentHashMap<>();
        /** Section id to the term it moves to. */
        final Map<String, String> sectionTerms = new ConcurrentHashMap<>();

        Reissue() {
            super("reissue");
        }

        @Override
        public User transformUser(User u) {
            String id = users.get(u.id());
            return id == null ? u : new User(id, u.district(), u.email(), u.name(), u.created(), u.lastModified(), u.roles());
        }

        @Override
        public Term transformTerm(Term t) {
            String id = terms.get(t.id());
            return id == null ? t : new Term(id, t.district(), t.name(), t.startDate(), t.endDate());
        }

        @Override
        public Section transformSection(Section s) {
            String term = sectionTerms.getOrDefault(s.id(), terms.getOrDefault(s.termId(), s.termId()));
            return new Section(s.id(), s.district(), s.name(), s.created(), s.lastModified(), s.course(), s.grade(), s.period(),
                    s.school(), s.sectionNumber(), s.sisId(), s.students().stream().map(id -> users.getOrDefault(id, id)).toList(),
                    s.subject(), users.getOrDefault(s.teacher(), s.teacher()),
                    s.teachers().stream().map(id -> users.getOrDefault(id, id)).toList(), term, s.ext());
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aReissuedUserEndsWithOneActiveAccountUnderTheNewIdCarryingTheOldHistory(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Reissue plugin = new Reissue();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin, "")) {
            SyncReport first = engine.sync(SyncMode.FULL);
            String old = query(db, "select min(a.clever_id) from account a join classroom_membership m on m.user_id = a.clever_id"
                    + " and m.active where a.account_role = 'student' and a.active and a.sis_id is not null and a.email is not null").get(0);
            List<String> classes = query(db, "select class_id from classroom_membership where active and user_id = '" + old + "' order by class_id");
            assertThat(classes).isNotEmpty();
            engine.acknowledge(engine.pendingChanges(100_000));

            String reissued = "fe" + old.substring(2);
            plugin.users.put(old, reissued);
            SyncReport second = engine.sync(SyncMode.FULL);
            assertThat(second.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(second.counts("users").deactivated()).as("nobody lost an account").isZero();
            assertThat(second.counts("users").created()).isZero();

            assertThat(query(db, "select clever_id || ':' || account_role || ':' || case when active then 'on' else 'off' end || ':' || created_run || ':' || reissued_from"
                    + " from account where clever_id in ('" + old + "', '" + reissued + "')"))
                    .containsExactly(reissued + ":student:" + "on" + ":" + first.runId() + ":" + old);
            assertThat(query(db, "select class_id from classroom_membership where active and user_id = '" + reissued + "' order by class_id"))
                    .isEqualTo(classes);
            assertThat(query(db, "select class_id from classroom_membership where user_id = '" + old + "'")).isEmpty();
            assertThat(query(db, "select class_id from classroom_membership where updated_run = '" + second.runId() + "'"))
                    .as("no membership flapped").isEmpty();

            Explanation why = engine.explain(reissued).orElseThrow();
            assertThat(why.outcome()).isEqualTo("PROVISIONED");
            assertThat(why.history()).as("the old history").anyMatch(h -> h.runId().equals(first.runId()));
            assertThat(why.warnings()).anyMatch(w -> w.code().equals("REISSUED_ID") && w.message().contains(old));
            List<AppliedChange> outbox = engine.pendingChanges(1000);
            assertThat(outbox).anyMatch(c -> c.key().equals(reissued + "/student") && c.change().equals("REISSUED"));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void underNewAccountTheReissuedUserGetsANewAccountAndTheOldIsDeactivated(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Reissue plugin = new Reissue();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin, "users.reissued_id = NEW_ACCOUNT\n")) {
            engine.sync(SyncMode.FULL);
            String old = query(db, "select min(a.clever_id) from account a join classroom_membership m on m.user_id = a.clever_id"
                    + " and m.active where a.account_role = 'student' and a.active and a.sis_id is not null and a.email is not null").get(0);
            String reissued = "fe" + old.substring(2);
            plugin.users.put(old, reissued);
            SyncReport second = engine.sync(SyncMode.FULL);
            assertThat(second.counts("users").deactivated()).isEqualTo(1);
            assertThat(second.counts("users").created()).isEqualTo(1);
            assertThat(query(db, "select clever_id || ':' || case when active then 'on' else 'off' end from account where clever_id in ('" + old + "', '" + reissued + "') order by clever_id"))
                    .containsExactlyInAnyOrder(old + ":" + "off", reissued + ":" + "on");
            assertThat(engine.explain(reissued).orElseThrow().warnings()).anyMatch(w -> w.code().equals("REISSUED_ID"));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aReCreatedTermTakesOverAndASectionMovedBetweenTermsKeepsItsClass(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Reissue plugin = new Reissue();
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start();
             SyncEngine engine = engine(sim, db, plugin, "")) {
            engine.sync(SyncMode.FULL);
            String term = query(db, "select min(term_id) from classroom where active").get(0);
            List<String> sections = query(db, "select clever_id from classroom where active and term_id = '" + term + "' order by clever_id");
            List<String> memberships = query(db, "select class_id || '/' || user_id || '/' || role || '/' || case when active then 'on' else 'off' end from classroom_membership order by 1");
            int activeClasses = query(db, "select clever_id from classroom where active").size();

            // (b) the district deletes the term and creates it again: a new id, the same name and dates; its sections move
            String recreated = "fe" + term.substring(2);
            plugin.terms.put(term, recreated);
            SyncReport b = engine.sync(SyncMode.FULL);
            assertThat(b.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(query(db, "select clever_id || ':' || case when active then 'on' else 'off' end from term where clever_id in ('" + term + "', '" + recreated + "')"))
                    .containsExactlyInAnyOrder(term + ":" + "off", recreated + ":" + "on");
            assertThat(query(db, "select clever_id from classroom where active and term_id = '" + recreated + "' order by clever_id"))
                    .isEqualTo(sections);
            assertThat(b.counts("sections").deactivated() + b.counts("sections").reactivated() + b.counts("sections").created())
                    .as("no class flapped").isZero();
            assertThat(query(db, "select clever_id from classroom where active").size()).isEqualTo(activeClasses);
            assertThat(query(db, "select class_id || '/' || user_id || '/' || role || '/' || case when active then 'on' else 'off' end from classroom_membership order by 1"))
                    .as("memberships as they were").isEqualTo(memberships);
            assertThat(engine.sync(SyncMode.FULL).counts("terms")).as("and it stays so").satisfies(c -> {
                assertThat(c.created() + c.deactivated() + c.reactivated() + c.updated()).isZero();
            });

            // (c) one section moves to another term: same class, same memberships
            String other = query(db, "select min(clever_id) from term where active and clever_id <> '" + recreated + "'").get(0);
            assertThat(other).as("the demo district shares a second term").isNotNull();
            plugin.sectionTerms.put(sections.get(0), other);
            SyncReport c = engine.sync(SyncMode.FULL);
            assertThat(c.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(query(db, "select term_id || ':' || case when active then 'on' else 'off' end from classroom where clever_id = '" + sections.get(0) + "'"))
                    .containsExactly(other + ":" + "on");
            assertThat(c.counts("sections").deactivated() + c.counts("sections").created()).isZero();
            assertThat(query(db, "select class_id || '/' || user_id || '/' || role || '/' || case when active then 'on' else 'off' end from classroom_membership order by 1"))
                    .as("memberships as they were").isEqualTo(memberships);
        }
    }

    private SyncEngine engine(CleverSimulator sim, StoreConfig db, DistrictPlugin plugin, String policies) throws Exception {
        Path file = dir.resolve("p" + System.nanoTime() + ".properties");
        Files.writeString(file, policies);
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).discoverPlugins(false)
                .policiesFile(file).plugin(plugin).build();
    }


    private static List<String> query(StoreConfig db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
