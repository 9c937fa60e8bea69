package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A finding of the rules on a record whose decision did not change is stored once, in the run that found it: a run that
 * changes nothing does not store every warning again (issue 7: the store grows by what changed), while its report still
 * counts them and {@code explain} still shows them.
 */
class RepeatedWarningsTest {
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void anUnchangedRecordsWarningsAreNotStoredAgain(Vendor vendor) {
        SyntheticDistrict district = SyntheticDistrict.demo();
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                     .discoverPlugins(false).build()) {
            SyncReport first = engine.sync(SyncMode.FULL);
            List<DataIssue> found = engine.warnings(first.runId(), 100_000).stream().filter(w -> !w.rule().startsWith("engine:")).toList();
            assertThat(found).as("the rules find something in the demo district").isNotEmpty();

            SyncReport second = engine.sync(SyncMode.FULL);
            assertThat(second.warnings()).as("the report still counts what is wrong").isEqualTo(first.warnings());
            assertThat(engine.warnings(second.runId(), 100_000)).as("nothing new to store")
                    .noneMatch(w -> !w.rule().startsWith("engine:"));
            DataIssue one = found.get(0);
            assertThat(engine.explain(one.cleverId()).orElseThrow().warnings()).as("explain still shows it")
                    .anyMatch(w -> w.code().equals(one.code()));
        }
    }
}
