package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.host.e2e.malformed.CleverStub;
import dev.homeroom.host.e2e.realdata.TinyDistrict;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 item 4: SIS ids are compared per role. A student and a teacher with the same number (different SIS tables)
 * are not duplicates, so {@code BLANK_LATER} leaves both alone; two students with the same number are, and each
 * warning names the other user.
 */
class DuplicateSisIdTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aStudentAndATeacherSharingANumberAreNotDuplicates(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        district.role("teacher-1", "teacher").put("sis_id", "S1"); // student-1's number, in the teachers' table
        district.role("student-3", "student").put("sis_id", "S2"); // student-2's number, in the same table
        Path policies = Files.writeString(dir.resolve("policies.properties"), "duplicates.sis_id = BLANK_LATER\n");
        try (CleverStub clever = district.serve();
             SyncEngine engine = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN)
                     .store(TestDatabases.fresh(vendor)).policiesFile(policies).discoverPlugins(false).build()) {
            engine.sync(SyncMode.FULL);

            for (String id : List.of("teacher-1", "student-1")) {
                Explanation e = engine.explain(id).orElseThrow();
                assertThat(e.warnings()).as(id).noneMatch(w -> w.code().equals("DUPLICATE_SIS_ID"));
                assertThat(e.provisioned()).as(id + " keeps its SIS id").containsEntry("sis_id", "S1");
            }
            Explanation keeper = engine.explain("student-2").orElseThrow();
            assertThat(keeper.provisioned()).containsEntry("sis_id", "S2");
            Explanation later = engine.explain("student-3").orElseThrow();
            assertThat(later.provisioned().get("sis_id")).as("the later student's SIS id is blanked").isNull();
            assertThat(later.warnings()).filteredOn(w -> w.code().equals("DUPLICATE_SIS_ID"))
                    .singleElement().satisfies(w -> assertThat(w.message()).contains("student-2"));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void eachWarningNamesTheOtherUser(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        district.role("student-3", "student").put("sis_id", "S2");
        try (CleverStub clever = district.serve();
             SyncEngine engine = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN)
                     .store(TestDatabases.fresh(vendor)).discoverPlugins(false).build()) {
            engine.sync(SyncMode.FULL);
            assertThat(message(engine, "student-2")).contains("student-3");
            assertThat(message(engine, "student-3")).contains("student-2");
        }
    }

    private static String message(SyncEngine engine, String id) {
        return engine.explain(id).orElseThrow().warnings().stream().filter(w -> w.code().equals("DUPLICATE_SIS_ID"))
                .map(Explanation.Warning::message).findFirst().orElseThrow(() -> new AssertionError(id + " has no DUPLICATE_SIS_ID warning"));
    }
}
