package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.host.HomeroomCli;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictCounts;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Fault;
import dev.homeroom.testkit.Faults;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, "Done when": a sync against a server that answers the first request with 429 (empty body), a later one
 * with 502, resets one connection and truncates one page still ends with exact {@code fetched} counts.
 *
 * <p>Requests are numbered by the simulator from 1 in arrival order, faulted ones included. A full sync asks for
 * {@code /districts} first, then schools, terms, courses, sections and users, so request 1 is the district and the 429
 * is the very first thing the engine meets (its reset is about a second ahead, so the test waits up to ~1 s for it).
 */
class FaultySyncTest {
    private static final List<String> KINDS = List.of("users", "sections", "terms", "schools", "courses");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The CLI path: {@code sync --json} at the default limit (10000), so each collection is one page. */
    @Test
    void cliSyncEndsWithExactFetchedCountsDespiteFaults() throws Exception {
        SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(300).build());
        // 1: /districts → 429; 2: /districts again; 3: /schools → 502; 4: /schools again; 5: /terms → reset;
        // 6: /terms again; 7: /courses; 8: /sections → truncated; 9: /sections again; 10: /users.
        Faults faults = Faults.builder()
                .nth(1, Fault.TOO_MANY_REQUESTS)
                .nth(3, Fault.BAD_GATEWAY)
                .nth(5, Fault.CONNECTION_RESET)
                .nth(8, Fault.TRUNCATED_BODY)
                .build();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).faults(faults).build().start()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = HomeroomCli.execute(new String[] {
                    "sync", "--clever-url", sim.baseUrl().toString(), "--token", sim.token(),
                    "--db", "jdbc:h2:mem:faulty-cli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "--json"},
                    new PrintWriter(out, true), new PrintWriter(err, true));

            assertThat(exit).as("exit code; stderr:%n%s%nstdout:%n%s", err, out).isZero();
            JsonNode report = JSON.readTree(out.toString());
            assertThat(report.path("status").asText()).isIn("SUCCEEDED", "SUCCEEDED_WITH_WARNINGS");
            DistrictCounts expected = district.counts();
            for (String kind : KINDS) {
                assertThat(report.path("counts").path(kind).path("fetched").asLong())
                        .as("counts.%s.fetched (report: %s)", kind, report)
                        .isEqualTo(expected.of(kind));
            }
            assertThat(sim.faultsInjected()).as("every planned fault was served").isEqualTo(4);
            // 6 collections fetched once each plus one repeat per fault: nothing was fetched twice that had succeeded.
            assertThat(sim.requestCount()).as("requests").isEqualTo(6 + 4);
        }
    }

    /**
     * The engine API with {@code pageLimit(50)}: users span many pages, so the 502, the reset and the truncation all
     * land in the middle of the users collection, after earlier pages were applied. Counts are still exact, and a
     * second sync of the same data changes nothing.
     */
    @Test
    void engineSyncWithSmallPagesIsExactAndIdempotent() {
        SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(300).build());
        DistrictCounts expected = district.counts();
        long userPages = (expected.users() + 49) / 50;
        assertThat(userPages).as("users must span enough pages for mid-collection faults").isGreaterThanOrEqualTo(8);
        // 1: /districts → 429; 2: /districts again; then schools, terms, courses and sections (ceil(n/50) pages each,
        // at least one), then users. The other three faults land on users pages 3, 5 and 6 (a fault's repeat is a
        // request too), after earlier users pages were already applied to the store.
        long firstUsersRequest = 2 + pages(expected.schools()) + pages(expected.terms()) + pages(expected.courses())
                + pages(expected.sections()) + 1;
        long bad = firstUsersRequest + 2;             // users page 3 → 502, then page 3 again
        long reset = bad + 3;                         // users page 5 → reset connection
        long truncated = reset + 2;                   // users page 6 → truncated body
        assertThat(truncated).as("the last fault is inside the users collection").isLessThan(firstUsersRequest + userPages + 3);
        Faults faults = Faults.builder()
                .nth(1, Fault.TOO_MANY_REQUESTS)
                .nth(bad, Fault.BAD_GATEWAY)
                .nth(reset, Fault.CONNECTION_RESET)
                .nth(truncated, Fault.TRUNCATED_BODY)
                .build();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).faults(faults).build().start();
             SyncEngine engine = SyncEngine.builder()
                     .cleverUrl(sim.baseUrl().toString())
                     .token(sim.token())
                     .pageLimit(50)
                     .store(StoreConfig.h2Memory("faulty-engine-" + UUID.randomUUID()))
                     .build()) {
            SyncReport first = engine.sync(SyncMode.FULL);
            assertThat(first.status()).as("first run: %s", first).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            for (String kind : KINDS) {
                assertThat(first.counts(kind).fetched()).as("first run %s fetched", kind).isEqualTo(expected.of(kind));
            }
            assertThat(sim.faultsInjected()).as("every planned fault was served").isEqualTo(4);
            long requestsFirst = sim.requestCount();

            SyncReport second = engine.sync(SyncMode.FULL);
            assertThat(second.status()).as("second run: %s", second).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(sim.faultsInjected()).as("the plan is spent: the second run meets no faults").isEqualTo(4);
            assertThat(sim.requestCount() - requestsFirst).as("second run's requests").isEqualTo(requestsFirst - 4);
            for (String kind : KINDS) {
                KindCounts a = first.counts(kind);
                KindCounts b = second.counts(kind);
                assertThat(b.fetched()).as("second run %s fetched", kind).isEqualTo(expected.of(kind));
                assertThat(b.created()).as("second run %s created", kind).isZero();
                assertThat(b.updated()).as("second run %s updated", kind).isZero();
                assertThat(b.deactivated()).as("second run %s deactivated", kind).isZero();
                assertThat(b.reactivated()).as("second run %s reactivated", kind).isZero();
                // every record the first run provisioned is now unchanged; what it skipped is skipped again
                assertThat(b.unchanged()).as("second run %s unchanged (first: %s)", kind, a)
                        .isEqualTo(a.created() + a.updated() + a.unchanged() + a.reactivated());
                assertThat(b.skipped()).as("second run %s skipped (first: %s)", kind, a).isEqualTo(a.skipped());
                assertThat(b.unchanged() + b.skipped() + b.errors()).as("second run %s: every record accounted for", kind)
                        .isEqualTo(b.fetched());
            }
        }
    }

    private static long pages(long records) {
        return Math.max(1, (records + 49) / 50);
    }
}
