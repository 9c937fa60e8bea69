package dev.homeroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.testkit.internal.DistrictModel;
import dev.homeroom.testkit.internal.KeySource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The districts that existed before the geometry knobs keep every byte: each record of every collection and role, the
 * school and role listings, counts, quirks, changes and events at revisions 0 to 3, digested. The digests were taken
 * from the simulator before {@code sectionsPerStudent}, {@code studentsPerSection}, {@code terms}, {@code courses},
 * {@code districtAdmins} and {@code quirkEvery} existed; a change to a default shows here.
 */
class GeometryFingerprintTest {

    static Stream<Arguments> districts() {
        return Stream.of(
                Arguments.of("demo", DistrictSpec.demo(), "260b40b2eb1730267c5d20f9cada7bc7765667e88a310ddb6e90ed546d8418d1"),
                Arguments.of("one school", DistrictSpec.builder().students(120).schools(1).seed(7).build(), "462f7b933709b4ca6b7caac4aeab9f8cb5d273304f69b502861e33780fe2a74a"),
                Arguments.of("no courses", DistrictSpec.builder().students(400).schools(4).seed(9).sharesCourses(false)
                        .teachersPerSchool(5).staffPerSchool(1).contacts(10).build(), "7b83180c9386a119ae5b1df7e36d14925d5ed5e2bdd27d191f8684f65bba14b5"),
                Arguments.of("bench shape", DistrictSpec.builder().students(5_000).schools(5).seed(2024).build(), "d814d5d1f40f3362f2ba8a4c1412fa446368ce30ac5da186ce2a64419c3f2d41"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("districts")
    void defaultsServeTheSameBytesAsBefore(String name, DistrictSpec spec, String expected) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SyntheticDistrict d = SyntheticDistrict.of(spec);
        for (int r = 0; r <= 3; r++) {
            digest(md, d.atRevision(r));
        }
        assertThat(HexFormat.of().formatHex(md.digest())).as(name).isEqualTo(expected);
    }

    private static void digest(MessageDigest md, SyntheticDistrict d) {
        DistrictModel m = d.model();
        DistrictCounts c = d.counts();
        put(md, List.of(c.districts(), c.schools(), c.terms(), c.courses(), c.sections(), c.users()) + " " + new java.util.TreeMap<>(c.usersByRole()));
        put(md, new java.util.TreeMap<>(d.quirks()).toString());
        put(md, new java.util.TreeMap<>(d.changes()).toString());
        List<KeySource> sources = new java.util.ArrayList<>();
        sources.add(m.allUsers());
        for (String role : List.of("student", "teacher", "staff", "district_admin", "contact")) sources.add(m.usersWithRole(role));
        for (int kind : new int[] {DistrictModel.DISTRICT, DistrictModel.SCHOOL, DistrictModel.TERM, DistrictModel.COURSE, DistrictModel.SECTION}) {
            sources.add(m.collectionSource(kind));
        }
        for (int sc = 0; sc < d.spec().schools(); sc++) {
            sources.add(m.schoolUsers(sc, null, false));
            sources.add(m.schoolUsers(sc, "staff", false));
            sources.add(m.schoolUsers(sc, "teacher", true));
            sources.add(m.schoolUsers(sc, "student", false));
            sources.add(m.sectionsOfSchool(sc));
        }
        for (KeySource src : sources) {
            for (long key : src.after(Long.MIN_VALUE, Integer.MAX_VALUE)) {
                ObjectNode rec = m.render(key);
                put(md, key + ":" + rec);
            }
            put(md, "|");
        }
        for (ObjectNode e : d.events()) put(md, e.toString());
    }

    private static void put(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
    }
}
