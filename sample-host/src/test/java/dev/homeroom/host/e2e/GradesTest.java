package dev.homeroom.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.host.e2e.malformed.CleverStub;
import dev.homeroom.host.e2e.realdata.TinyDistrict;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 item 7: Clever's grades beyond K–12 (PreKindergarten, TransitionalKindergarten, InfantToddler, Preschool,
 * PostGraduate, Ungraded, Other): a graduation year is inferred where one follows (pre-K and TK: one year after
 * kindergarten), none otherwise; and a value Clever left empty is NULL in the host's tables, not an empty string.
 */
class GradesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void graduationYearsFollowFromEarlyGradesAndNoValueIsNull(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        Map<String, String> grades = Map.of("prek", "PreKindergarten", "tk", "TransitionalKindergarten", "kinder", "Kindergarten",
                "preschool", "Preschool", "infant", "InfantToddler", "postgrad", "Postgraduate", "ungraded", "Ungraded", "other", "Other");
        grades.forEach((id, grade) -> {
            district.addStudent(id, "N-" + id, grade);
            district.students("section-1").add(id);
        });
        district.addStudent("blank", "", "");
        district.students("section-1").add("blank");
        district.user("blank").put("email", "");
        Path policies = Files.writeString(dir.resolve("policies.properties"), "school_year.end = 2026\n");
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverStub clever = district.serve();
             SyncEngine engine = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN).store(db)
                     .policiesFile(policies).discoverPlugins(false).build()) {
            engine.sync(SyncMode.FULL);

            assertThat(graduationYear(engine, "kinder")).isEqualTo("2038");
            assertThat(graduationYear(engine, "prek")).as("one year after kindergarten").isEqualTo("2039");
            assertThat(graduationYear(engine, "tk")).as("like pre-K").isEqualTo("2039");
            for (String none : List.of("preschool", "infant", "postgrad", "ungraded", "other", "blank")) {
                assertThat(graduationYear(engine, none)).as(none).isNull();
                assertThat(engine.explain(none).orElseThrow().warnings()).as(none)
                        .anyMatch(w -> w.code().equals("GRADUATION_YEAR_UNKNOWN"));
            }
            assertThat(emptyStrings(db)).as("columns holding '' instead of NULL").isEmpty();
        }
    }

    /**
     * A class's derived grade (the most common grade of its students) follows a student whose grade alone changed, in a
     * run that decides only what changed (P24 CHANGED): the student's memberships stay as they were, so only the grade
     * change says the class must be derived again.
     */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aClassGradeFollowsAStudentWhoseGradeAloneChanged(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass(); // three students in grade 5
        district.role("student-1", "student").put("grade", "6");
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverStub clever = district.serve();
             SyncEngine engine = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN).store(db)
                     .discoverPlugins(false).build()) {
            engine.sync(SyncMode.FULL);
            assertThat(engine.explain("section-1").orElseThrow().provisioned().get("derived_grade")).isEqualTo("5");

            district.role("student-2", "student").put("grade", "6"); // now 6, 6, 5
            district.update(clever);
            var second = engine.sync(SyncMode.FULL);

            assertThat(second.counts("users").updated()).as("student-2 alone changed").isEqualTo(1);
            assertThat(engine.explain("section-1").orElseThrow().provisioned().get("derived_grade")).isEqualTo("6");
        }
    }

    private static Object graduationYear(SyncEngine engine, String id) {
        return engine.explain(id).orElseThrow().provisioned().get("graduation_year");
    }

    /** Every text value of the provisioned tables and the shadow's copied-out columns that is an empty string. */
    private static List<String> emptyStrings(StoreConfig db) throws Exception {
        List<String> found = new ArrayList<>();
        Map<String, List<String>> columns = Map.of(
                "account", List.of("clever_id", "first_name", "middle_name", "last_name", "email", "sis_id", "grade", "graduation_year",
                        "school_ids", "primary_school_id", "flags", "granted_roles"),
                "classroom", List.of("name", "display_name", "subject", "grade", "period", "derived_grade"),
                "clever_record", List.of("email_key", "sis_id", "label", "ref_term", "ref_course", "ref_teacher", "ref_school"));
        try (Connection c = DriverManager.getConnection(db.effectiveUrl(), db.user(), db.password()); Statement s = c.createStatement()) {
            for (var table : columns.entrySet()) {
                for (String column : table.getValue()) {
                    try (ResultSet r = s.executeQuery("select clever_id from " + table.getKey() + " where " + column + " = ''")) {
                        while (r.next()) {
                            found.add(table.getKey() + "." + column + " of " + r.getString(1));
                        }
                    }
                }
            }
        }
        return found;
    }
}
