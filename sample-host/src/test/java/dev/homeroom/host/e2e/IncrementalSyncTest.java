package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.Change;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incremental runs read Clever's events from the stored cursor. The first one takes a full snapshot; later ones apply
 * created/updated/deleted events; the result must equal a full sync of the same Clever state.
 */
class IncrementalSyncTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void eventsBringTheStoreToWhatAFullSyncWouldHave(Vendor vendor) {
        SyntheticDistrict district = SyntheticDistrict.demo();
        SyntheticDistrict next = district.next();
        StoreConfig incrementalDb = TestDatabases.fresh(vendor);
        StoreConfig fullDb = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine incremental = engine(sim, incrementalDb);
             SyncEngine full = engine(sim, fullDb)) {

            SyncReport snapshot = incremental.sync(SyncMode.INCREMENTAL);
            assertThat(snapshot.status()).as(snapshot.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(snapshot.counts("users").fetched()).as("no cursor yet: a full snapshot").isEqualTo(district.counts().users());

            sim.advanceTo(next);
            SyncReport events = incremental.sync(SyncMode.INCREMENTAL);
            assertThat(events.status()).as(events.failure() + " " + events.guard()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(events.counts("users").fetched()).as("only the records the events name").isLessThan(next.counts().users());
            assertThat(events.counts("users").deactivated()).isEqualTo(next.changes().get(Change.USER_REMOVED).size());
            assertThat(events.counts("terms").deactivated()).isEqualTo(1);

            String removed = next.changes().get(Change.USER_REMOVED).get(0);
            assertThat(incremental.explain(removed).orElseThrow().outcome()).isEqualTo("DEACTIVATED");
            String gainedDob = next.changes().get(Change.USER_GAINED_DOB).get(0);
            Explanation withDob = incremental.explain(gainedDob).orElseThrow();
            assertThat(withDob.fillers()).as("the filler dob is replaced when real data arrives").isEmpty();
            assertThat(withDob.provisioned()).containsEntry("dob_filler", false);

            SyncReport quiet = incremental.sync(SyncMode.INCREMENTAL);
            assertThat(quiet.counts("users").fetched()).as("no new events").isZero();
            for (String kind : List.of("users", "sections", "terms", "schools", "courses")) {
                assertThat(quiet.counts(kind).created() + quiet.counts(kind).updated() + quiet.counts(kind).deactivated()).as(kind).isZero();
            }

            SyncReport fullRun = full.sync(SyncMode.FULL);
            assertThat(fullRun.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
        }
        try (Store a = Store.open(incrementalDb); Store b = Store.open(fullDb)) {
            String d = district.districtId();
            for (RecordKind kind : List.of(RecordKind.USER, RecordKind.SECTION, RecordKind.TERM, RecordKind.SCHOOL, RecordKind.COURSE)) {
                assertThat(a.<Integer>read(s -> s.provisioning().activeCount(d, kind))).as(kind + " active after events vs full")
                        .isEqualTo(b.<Integer>read(s -> s.provisioning().activeCount(d, kind)));
                assertThat(a.<Integer>read(s -> s.shadow().sharedCount(d, kind))).as(kind + " shared after events vs full")
                        .isEqualTo(b.<Integer>read(s -> s.shadow().sharedCount(d, kind)));
            }
            // every record the full sync knows, not only those the events named: an incremental run decides the records
            // its events touched and their neighbours, and must end where a full sync of the same data ends
            for (RecordKind kind : List.of(RecordKind.USER, RecordKind.SECTION, RecordKind.TERM, RecordKind.SCHOOL, RecordKind.COURSE)) {
                for (String id : b.<List<String>>read(s -> s.shadow().ids(d, kind))) {
                    assertThat(outcome(a, d, kind, id)).as("outcome of " + kind.label() + " " + id).isEqualTo(outcome(b, d, kind, id));
                    assertThat(active(a, d, kind, id)).as("active rows of " + kind.label() + " " + id).usingRecursiveComparison()
                            .isEqualTo(active(b, d, kind, id));
                    if (kind == RecordKind.USER) {
                        assertThat(a.<List<String>>read(s -> s.provisioning().memberships(d, id))).as("classes of " + id)
                                .isEqualTo(b.<List<String>>read(s -> s.provisioning().memberships(d, id)));
                    }
                }
            }
            for (String id : next.changes().values().stream().flatMap(List::stream).toList()) {
                RecordKind kind = a.read(s -> s.shadow().find(id)).stream().findFirst().map(r -> r.kind()).orElse(null);
                if (kind == null || kind == RecordKind.DISTRICT) {
                    continue;
                }
                // a record that went away before the full store ever saw it is deactivated in one and absent in the other:
                // what the host sees as active must be the same
                assertThat(active(a, d, kind, id)).as("active rows of " + id).usingRecursiveComparison().isEqualTo(active(b, d, kind, id));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aCursorTheFeedNoLongerHoldsFallsBackToAFullSnapshot(Vendor vendor) {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = engine(sim, db)) {
            engine.sync(SyncMode.INCREMENTAL);
            try (Store store = Store.open(db)) {
                store.transaction(s -> {
                    s.runs().setEventCursor(district.districtId(), "0000000000000000deadbeef"); // older than the feed's 30 days
                    return null;
                });
            }
            sim.advanceTo(district.next());
            SyncReport recovered = engine.sync(SyncMode.INCREMENTAL);
            assertThat(recovered.status()).as(recovered.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(recovered.counts("users").fetched()).as("a full snapshot").isEqualTo(district.next().counts().users());
            assertThat(recovered.counts("users").deactivated()).isEqualTo(district.next().changes().get(Change.USER_REMOVED).size());
            SyncReport after = engine.sync(SyncMode.INCREMENTAL);
            assertThat(after.counts("users").fetched()).as("the cursor was reset to the end of the feed").isZero();
        }
    }

    private static String outcome(Store store, String d, RecordKind kind, String id) {
        return store.read(s -> s.decisions().decisionState(d, kind, id)).map(st -> st.outcome().name()).orElse(null);
    }

    private static List<dev.homeroom.store.Provisioned> active(Store store, String d, RecordKind kind, String id) {
        return store.<List<dev.homeroom.store.Provisioned>>read(s -> s.provisioning().provisioned(d, kind, id)).stream()
                .filter(dev.homeroom.store.Provisioned::active).toList();
    }

    private static SyncEngine engine(CleverSimulator sim, StoreConfig db) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db).discoverPlugins(false).build();
    }
}
