package dev.homeroom.host.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.host.HomeroomCli;
import dev.homeroom.store.Vendor;
import dev.homeroom.store.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code bench} end to end on a small district: every run it reports happened and did what it says (no figure is
 * checked: timings are the machine's), and the outbox it drains holds exactly what the runs wrote to it.
 */
class BenchCommandTest {
    private static final List<String> RUNS = List.of("full", "resync", "incrementalSnapshot", "incremental", "incrementalChurn");

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void runsEverySyncBesideItsFloorAndDrainsWhatTheRunsWroteToTheOutbox(Vendor vendor) throws Exception {
        List<String> args = new ArrayList<>(List.of("bench", "--students", "2000", "--events", "60", "--simulator-heap", "256m", "--json"));
        if (vendor == Vendor.POSTGRESQL) {
            TestDatabases.requirePostgres();
            args.addAll(List.of("--db", TestDatabases.PG_URL, "--db-user", TestDatabases.PG_USER));
            if (!TestDatabases.PG_PASSWORD.isEmpty()) {
                args.addAll(List.of("--db-password", TestDatabases.PG_PASSWORD));
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HomeroomCli.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());

        assertThat(r.get("store").asText()).isEqualTo(vendor == Vendor.H2 ? "h2" : "postgresql");
        long served = 0;
        for (JsonNode n : r.get("served")) {
            served += n.asLong();
        }
        assertThat(r.at("/full/records").asLong()).isEqualTo(served);
        assertThat(r.at("/full/rowsWritten/account").asLong()).isEqualTo(r.at("/full/rows/account").asLong()).isPositive();
        // an identical re-sync writes the run row and nothing else
        assertThat(r.at("/resync/provisionedRowsWritten").asLong()).isZero();
        assertThat(r.at("/resync/rowsWritten/sync_run").asLong()).isEqualTo(1);
        assertThat(r.at("/resync/rowsWritten/outbox").asLong()).isZero();
        // both event runs applied at least as many events as asked, and the churn changed accounts
        assertThat(r.at("/incremental/events").asLong()).isGreaterThanOrEqualTo(60);
        assertThat(r.at("/incrementalChurn/events").asLong()).isGreaterThanOrEqualTo(60);
        assertThat(r.at("/incrementalChurn/rowsWritten/account").asLong()).isPositive();
        assertThat(r.at("/incrementalChurn/rowsWritten/outbox").asLong()).isPositive();

        long written = 0;
        for (String run : RUNS) {
            assertThat(r.at("/" + run + "/status").asText()).as(run).startsWith("SUCCEEDED");
            assertThat(r.at("/" + run + "/seconds").isNumber()).as(run).isTrue();
            written += r.at("/" + run + "/rowsWritten/outbox").asLong();
        }
        assertThat(r.at("/outboxDrain/changes").asLong()).isEqualTo(written).isPositive();
        assertThat(r.at("/outboxDrain/pages").asLong()).isEqualTo((written + 999) / 1000);
        assertThat(r.at("/floor/fetchedRecords").asLong()).isEqualTo(served);
        assertThat(r.at("/ratios/fullToFloor").asDouble()).isPositive();
        if (vendor == Vendor.POSTGRESQL) {
            // the drained, vacuumed outbox gives its pages back
            assertThat(r.get("storeBytesAfterDrain").asLong()).isPositive().isLessThan(r.get("storeBytes").asLong());
        } else {
            assertThat(r.get("storeBytesCompacted").asLong()).isPositive();
        }
    }
}
