package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.host.e2e.malformed.CleverStub;
import dev.homeroom.host.e2e.realdata.TinyDistrict;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 item 5: references to records Clever does not share are checked in a user's {@code schools} list too, and a
 * section whose teacher is not shared gets one warning, not one for {@code teacher} and another for {@code teachers}.
 */
class UnsharedReferencesTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSchoolInAUsersListThatCleverDoesNotShareIsReported(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        @SuppressWarnings("unchecked")
        List<String> schools = (List<String>) district.role("student-2", "student").get("schools");
        schools.add("school-gone");
        try (CleverStub clever = district.serve(); SyncEngine engine = engine(clever, vendor)) {
            SyncReport run = engine.sync(SyncMode.FULL);
            assertThat(references(engine, run, "student-2")).singleElement().satisfies(w -> {
                assertThat(w.field()).isEqualTo("schools");
                assertThat(w.message()).contains("school-gone");
            });
            assertThat(references(engine, run, "student-1")).isEmpty();
            assertThat(engine.explain("student-2").orElseThrow().warnings()).as("explain shows it")
                    .anyMatch(w -> w.code().equals("UNKNOWN_REFERENCE") && w.message().contains("school-gone"));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSectionWhoseTeacherIsNotSharedGetsOneWarning(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        district.removeUser("teacher-1");
        try (CleverStub clever = district.serve(); SyncEngine engine = engine(clever, vendor)) {
            SyncReport run = engine.sync(SyncMode.FULL);
            assertThat(references(engine, run, "section-1")).singleElement().satisfies(w -> {
                assertThat(w.field()).isEqualTo("teacher");
                assertThat(w.message()).contains("teacher-1");
            });
        }
    }

    private static SyncEngine engine(CleverStub clever, Vendor vendor) {
        return SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN).store(TestDatabases.fresh(vendor))
                .discoverPlugins(false).build();
    }

    private static List<DataIssue> references(SyncEngine engine, SyncReport run, String id) {
        return engine.warnings(run.runId(), 10_000).stream()
                .filter(w -> w.cleverId().equals(id) && w.code().equals("UNKNOWN_REFERENCE")).toList();
    }
}
