package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A million-student district is described, not materialised: first and last pages come straight from the index. */
class LargeDistrictTest {

    @Test
    void servesFirstAndLastPageOfAMillionStudents() throws Exception {
        DistrictSpec spec = DistrictSpec.builder().students(1_000_000).schools(100).seed(2024).build();
        SyntheticDistrict district = SyntheticDistrict.of(spec);
        DistrictCounts counts = district.counts();
        assertThat(counts.role("student")).isEqualTo(1_000_000);
        assertThat(counts.users()).isEqualTo(1 + 200 + counts.role("teacher") + 1_000_000 + 500_000);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start()) {
            Api api = new Api(sim);
            JsonNode first = api.json("/v3.0/users?role=student&limit=10000");
            assertThat(first.get("data")).hasSize(10_000);
            String next = Api.link(first, "next");
            assertThat(next).contains("limit=10000").contains("role=student");

            // the last page: ending_before an id past the end gives the final records
            JsonNode lastPage = api.json("/v3.0/users?role=student&limit=10000&ending_before=ffffffffffffffffffffffff");
            assertThat(lastPage.get("data")).hasSize(10_000);
            String lastId = lastPage.get("data").get(9_999).get("data").get("id").asText();
            JsonNode after = api.json("/v3.0/users?role=student&limit=10000&starting_after=" + lastId);
            assertThat(after.get("data")).isEmpty();
            assertThat(Api.link(after, "next")).isNull();

            List<String> quirky = district.idsWith(Quirk.STUDENT_NO_SECTIONS);
            assertThat(quirky).hasSize(100);
            JsonNode single = api.json("/v3.0/users/" + quirky.get(99));
            assertThat(api.json("/v3.0/users/" + quirky.get(99) + "/sections").get("data")).isEmpty();
            assertThat(single.at("/data/roles/student/school").asText()).isNotEmpty();
        }
    }
}
