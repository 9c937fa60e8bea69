package dev.homeroom.host.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.homeroom.engine.ChangeSelection;
import dev.homeroom.engine.PlannedChange;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.Section;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8 items 3 and 5: the safety guard watches every kind a host provisions, and an approval applies the values the
 * person reviewed or halts again.
 */
class GuardEveryKindTest {
    @TempDir
    Path dir;

    /**
     * Clever answering an empty {@code /sections} while everything else is there: with classless users kept
     * (PROVISION_LIMITED) no account is lost, so only the classes and memberships guard can stop it.
     */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anEmptySectionsCollectionHaltsAndDeactivatesNoClass(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        Path policies = limitedPolicies();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             EmptySections proxy = new EmptySections(sim.baseUrl());
             SyncEngine direct = engine(sim.baseUrl().toString(), sim.token(), db, policies, null);
             SyncEngine viaProxy = engine(proxy.url(), sim.token(), db, policies, null)) {
            int classes = firstSyncsClasses(direct, db, district.districtId());

            SyncReport empty = viaProxy.sync(SyncMode.FULL);
            assertHaltedAndNothingApplied(empty, db, district.districtId(), classes);

            // a guard halt outside MANUAL lists its changes too, and a person may apply some of them
            List<PlannedChange> planned = viaProxy.plannedChanges(empty.runId());
            List<PlannedChange> classChanges = planned.stream().filter(c -> c.entity().equals("section")).toList();
            assertThat(classChanges).hasSize(classes).allMatch(c -> c.change().equals("DEACTIVATED"));
            assertThat(planned).anyMatch(c -> c.entity().equals("membership") && c.change().equals("DEACTIVATED"));
            List<PlannedChange> two = classChanges.subList(0, 2);
            SyncReport some = viaProxy.approve(empty.runId(), ChangeSelection.only(two.stream().map(PlannedChange::id).toList()));
            assertThat(some.status()).as(some.guard()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(some.counts("sections").deactivated()).isEqualTo(2);
            assertThat(active(db, district.districtId(), RecordKind.SECTION)).as("exactly the two approved").isEqualTo(classes - 2);
        }
    }

    /**
     * What was active before a run is counted beside it, on a second connection of the store. When the host's pool
     * has none to give (here: two connections, one held elsewhere), the run counts in its own transaction, before its
     * first change, and the guard still compares with the classes that were active (not with what the run left, and
     * without waiting for a connection).
     */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void withNoSecondConnectionToCountBesideTheRunTheGuardStillComparesWithWhatWasActiveBefore(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        Path policies = limitedPolicies();
        HikariConfig twoConnections = new HikariConfig();
        twoConnections.setJdbcUrl(db.effectiveUrl());
        twoConnections.setUsername(db.user());
        twoConnections.setPassword(db.password());
        twoConnections.setMaximumPoolSize(2);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             EmptySections proxy = new EmptySections(sim.baseUrl());
             SyncEngine direct = engine(sim.baseUrl().toString(), sim.token(), db, policies, null);
             HikariDataSource pool = new HikariDataSource(twoConnections);
             SyncEngine viaProxy = SyncEngine.builder().cleverUrl(proxy.url()).token(sim.token()).dataSource(pool, vendor)
                     .policiesFile(policies).discoverPlugins(false).build()) {
            int classes = firstSyncsClasses(direct, db, district.districtId());

            SyncReport empty;
            viaProxy.pendingChanges(1); // opens (and migrates) the store before one of its two connections is taken
            try (Connection held = pool.getConnection()) {
                empty = viaProxy.sync(SyncMode.FULL);
            }
            assertHaltedAndNothingApplied(empty, db, district.districtId(), classes);
        }
    }

    /** A plugin that appends a suffix to every section name: the test changes the values between plan and approval. */
    static final class Suffix extends dev.homeroom.host.testing.TransformingPlugin {
        volatile String suffix = "";

        Suffix() {
            super("suffix");
        }

        @Override
        public Section transformSection(Section section) {
            return suffix.isEmpty() ? section : section.withName(section.name() + suffix);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anApprovalAppliesTheReviewedValuesOrHaltsAgain(Vendor vendor) throws Exception {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        Path policies = dir.resolve("manual.properties");
        Files.writeString(policies, "sync.strategy = MANUAL\n");
        Suffix plugin = new Suffix();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim.baseUrl().toString(), sim.token(), db, policies, plugin)) {
            SyncReport first = engine.sync(SyncMode.FULL);
            assertThat(first.status()).isEqualTo(SyncStatus.HALTED);
            assertThat(engine.approve(first.runId()).status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);

            plugin.suffix = " (A)";
            SyncReport renamed = engine.sync(SyncMode.FULL);
            assertThat(renamed.status()).isEqualTo(SyncStatus.HALTED);
            assertThat(renamed.counts("sections").updated()).isPositive();

            // the same classes change the same way, to other values than the ones the person reviewed
            plugin.suffix = " (B)";
            SyncReport approval = engine.approve(renamed.runId());
            assertThat(approval.status()).as("values changed since the plan was reviewed").isEqualTo(SyncStatus.HALTED);
            assertThat(approval.guard()).contains("the data changed since run " + renamed.runId());

            plugin.suffix = " (A)";
            SyncReport same = engine.approve(renamed.runId());
            assertThat(same.status()).as("the reviewed values: applied").isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        }
    }

    private static SyncEngine engine(String url, String token, StoreConfig db, Path policies, DistrictPlugin plugin) {
        SyncEngine.Builder b = SyncEngine.builder().cleverUrl(url).token(token).store(db).policiesFile(policies).discoverPlugins(false);
        if (plugin != null) {
            b.plugin(plugin);
        }
        return b.build();
    }

    private Path limitedPolicies() throws IOException {
        Path policies = dir.resolve("limited.properties");
        Files.writeString(policies, "classless.students = PROVISION_LIMITED\nclassless.teachers = PROVISION_LIMITED\n");
        return policies;
    }

    /** The district's first full sync, which succeeds; returns how many classes it left active. */
    private static int firstSyncsClasses(SyncEngine engine, StoreConfig db, String districtId) {
        SyncReport first = engine.sync(SyncMode.FULL);
        assertThat(first.status()).as(first.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        int classes = active(db, districtId, RecordKind.SECTION);
        assertThat(classes).isPositive();
        return classes;
    }

    /** The run given no sections halted, naming the classes active before it, and left them so. */
    private static void assertHaltedAndNothingApplied(SyncReport empty, StoreConfig db, String districtId, int classes) {
        assertThat(empty.status()).isEqualTo(SyncStatus.HALTED);
        assertThat(empty.guard()).contains("Clever sent no sections while " + classes + " classes are active");
        assertThat(active(db, districtId, RecordKind.SECTION)).as("nothing applied").isEqualTo(classes);
    }

    private static int active(StoreConfig db, String districtId, RecordKind kind) {
        try (Store store = Store.open(db)) {
            return store.read(s -> s.provisioning().activeCount(districtId, kind));
        }
    }

    /** Passes every request to the simulator, except {@code /v3.0/sections}, which it answers with an empty page. */
    private static final class EmptySections implements AutoCloseable {
        private final HttpServer server;

        EmptySections(URI target) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ex -> {
                byte[] body;
                int status;
                if (ex.getRequestURI().getPath().equals("/v3.0/sections")) {
                    status = 200;
                    body = "{\"data\":[],\"links\":[{\"rel\":\"self\",\"uri\":\"/v3.0/sections\"}]}".getBytes(StandardCharsets.UTF_8);
                } else {
                    HttpURLConnection c = (HttpURLConnection) target.resolve(ex.getRequestURI().toString()).toURL().openConnection();
                    c.setRequestProperty("Authorization", ex.getRequestHeaders().getFirst("Authorization"));
                    status = c.getResponseCode();
                    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                        body = in == null ? new byte[0] : in.readAllBytes();
                    }
                }
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    ex.getResponseBody().write(body);
                }
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
