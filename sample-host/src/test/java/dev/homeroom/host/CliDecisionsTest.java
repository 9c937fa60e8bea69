package dev.homeroom.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Approval;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.SyntheticDistrict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code reject RUN_ID} and {@code --as NAME}: the command line's decisions on a halted plan are recorded with who took them. */
class CliDecisionsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void rejectAndApproveRecordWhoDecidedAndARejectedPlanIsPlannedAgain(Vendor vendor) throws Exception {
        StoreConfig db = TestDatabases.fresh(vendor);
        Path policies = Files.writeString(tmp.resolve("manual.properties"), "sync.strategy = MANUAL\n");
        try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).build().start()) {
            List<String> store = new ArrayList<>(List.of("--db", db.jdbcUrl(), "--db-user", db.user()));
            if (db.password() != null && !db.password().isEmpty()) {
                store.addAll(List.of("--db-password", db.password()));
            }
            List<String> sync = new ArrayList<>(List.of("sync", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(),
                    "--policies", policies.toString(), "--json"));
            sync.addAll(store);
            CliContractTest.Result halted = CliContractTest.run(sync.toArray(String[]::new));
            assertThat(halted.code()).as(halted.err()).isEqualTo(3);
            String first = runId(halted.out());

            List<String> reject = new ArrayList<>(List.of("reject", first, "--as", "grace"));
            reject.addAll(store);
            CliContractTest.Result rejected = CliContractTest.run(reject.toArray(String[]::new));
            assertThat(rejected.code()).as(rejected.err()).isZero();
            assertThat(rejected.out()).contains("REJECTED").contains("rejected by grace").contains("nothing was applied");
            CliContractTest.Result again = CliContractTest.run(reject.toArray(String[]::new));
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.err()).contains("HR-CONFIG-022").doesNotContain("\tat ");

            CliContractTest.Result next = CliContractTest.run(sync.toArray(String[]::new));
            assertThat(next.code()).as("the next run plans again: " + next.err()).isEqualTo(3);
            String second = runId(next.out());
            List<String> approve = new ArrayList<>(List.of("approve", second, "--clever-url", sim.baseUrl().toString(), "--token", sim.token(),
                    "--policies", policies.toString()));
            approve.addAll(store);
            CliContractTest.Result approved = CliContractTest.run(approve.toArray(String[]::new));
            assertThat(approved.code()).as(approved.out() + approved.err()).isZero();

            try (SyncEngine engine = SyncEngine.builder().store(db).discoverPlugins(false).build()) {
                assertThat(engine.approvals(first)).singleElement().satisfies(a -> {
                    assertThat(a.approver()).isEqualTo("grace");
                    assertThat(a.decision()).isEqualTo(Approval.REJECTED);
                });
                assertThat(engine.approvals(second)).singleElement().satisfies(a -> {
                    assertThat(a.approver()).as("without --as: the OS user").isEqualTo(System.getProperty("user.name"));
                    assertThat(a.decision()).isEqualTo(Approval.WHOLE);
                    assertThat(a.resultStatus()).startsWith("SUCCEEDED");
                });
            }
        }
    }

    private static String runId(String json) {
        int i = json.indexOf("\"runId\":\"") + 9;
        return json.substring(i, json.indexOf('"', i));
    }
}
