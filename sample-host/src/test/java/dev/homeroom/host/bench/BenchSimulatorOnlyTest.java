package dev.homeroom.host.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.host.HomeroomCli;
import dev.homeroom.testkit.DistrictCounts;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code bench --realistic --simulator-only}: the realistic district served from its own process, measured alone. */
class BenchSimulatorOnlyTest {

    @Test
    void servesTheRealisticDistrictAndReportsItsThroughput() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HomeroomCli.execute(new String[] {"bench", "--students", "3000", "--realistic", "--simulator-only", "--simulator-heap", "256m", "--json"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        DistrictCounts expected = SyntheticDistrict.of(DistrictSpec.realistic(3000)).counts();
        assertThat(r.get("realistic").asBoolean()).isTrue();
        assertThat(r.at("/served/sections").asLong()).isEqualTo(expected.sections());
        assertThat(r.at("/served/courses").asLong()).isEqualTo(expected.courses());
        assertThat(r.at("/served/users").asLong()).isEqualTo(expected.users());
        assertThat(r.get("schools").asLong()).isEqualTo(expected.schools());
        long all = expected.schools() + expected.terms() + expected.courses() + expected.sections() + expected.users();
        assertThat(r.at("/simulator/records").asLong()).isEqualTo(all);
        assertThat(r.at("/simulator/recordsPerSecond").asLong()).isPositive();
        assertThat(r.at("/simulator/bytes").asLong()).isPositive();
    }

    @Test
    void schoolsAndRealisticDoNotMix() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HomeroomCli.execute(new String[] {"bench", "--students", "3000", "--realistic", "--schools", "4", "--simulator-only"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(HomeroomCli.USAGE);
        assertThat(err.toString()).contains("--schools cannot be combined with --realistic");
    }
}
