package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.AppliedChange;
import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.RuleFile;
import dev.homeroom.spi.SupplementalRows;
import dev.homeroom.spi.SupplementalSource;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Supplemental data (SPI 1.2): a plugin reads rows Clever does not carry from its own CSV, joined to users by SIS id;
 * rules see them as facts, the host on the account and in explain, a row that matches no user is a warning with its
 * key, and an incremental run decides again the users whose rows changed.
 */
class SupplementalDataTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void licenseRowsReachRulesAccountsAndExplainAndFollowTheirSource(Vendor vendor) throws IOException {
        SyntheticDistrict district = SyntheticDistrict.demo();
        List<String> students = district.idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS);
        String licensed = students.get(0);
        String unlicensed = students.get(1);
        Path csv = dir.resolve("licenses.csv");
        Files.writeString(csv, "sis_id,license_code\n" + sis(district, licensed) + ",OLD-1\n" + sis(district, licensed) + ",MATH-7\n"
                + sis(district, unlicensed) + ",NONE\n"
                + "S-NOBODY,READ-3\nbroken line\n");
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                     .plugin(new Licenses("lic", district.districtId())).pluginSetting("lic", "csv", csv.toString()).build()) {
            SyncReport first = engine.sync(SyncMode.INCREMENTAL);
            assertThat(first.status()).as(first.failure()).isEqualTo(SyncStatus.SUCCEEDED_WITH_WARNINGS);

            Explanation withLicense = engine.explain(licensed).orElseThrow();
            assertThat(withLicense.provisioned()).containsEntry("supplemental", "{\"lic\":{\"license_code\":\"MATH-7\"}}");
            assertThat(withLicense.decisions()).anySatisfy(l -> {
                assertThat(l.rule()).isEqualTo("plugin:lic/supplemental:licenses");
                assertThat(l.outcome()).isEqualTo("SUPPLEMENTAL license_code=MATH-7");
                assertThat(l.reason()).contains("plugin lic").contains(sis(district, licensed));
            });
            assertThat(engine.explain(unlicensed).orElseThrow()).satisfies(e -> {
                assertThat(e.outcome()).as("the plugin's rule read the fact").isEqualTo("SKIPPED");
                assertThat(e.decisions().get(0).rule()).isEqualTo("LIC-SKIP-UNLICENSED");
                assertThat(e.decisions()).as("explain names the plugin beside its rule and data").anySatisfy(l -> {
                    assertThat(l.rule()).isEqualTo("plugin:lic");
                    assertThat(l.outcome()).isEqualTo("PLUGIN lic");
                    assertThat(l.reason()).contains("rule LIC-SKIP-UNLICENSED").contains("supplemental licenses");
                });
            });
            List<DataIssue> warnings = engine.warnings(first.runId(), 10_000);
            assertThat(warnings).anySatisfy(w -> {
                assertThat(w.code()).isEqualTo("SUPPLEMENTAL_UNMATCHED");
                assertThat(w.message()).contains("'S-NOBODY'").contains("matches no user");
            });
            assertThat(warnings).anySatisfy(w -> {
                assertThat(w.code()).isEqualTo("SUPPLEMENTAL_UNREADABLE");
                assertThat(w.message()).contains("line 6");
            });
            assertThat(warnings).anySatisfy(w -> {
                assertThat(w.code()).isEqualTo("SUPPLEMENTAL_DUPLICATE");
                assertThat(w.message()).contains("'" + sis(district, licensed) + "'").contains("the last one is used");
            });
            engine.acknowledge(engine.pendingChanges(100_000));

            // the district's file changes: a new code for one, the other's row gone; nothing changed in Clever
            Files.writeString(csv, "sis_id,license_code\n" + sis(district, licensed) + ",READ-3\n");
            SyncReport second = engine.sync(SyncMode.INCREMENTAL);
            assertThat(second.status()).as(second.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(engine.explain(licensed).orElseThrow().provisioned()).containsEntry("supplemental", "{\"lic\":{\"license_code\":\"READ-3\"}}");
            assertThat(engine.explain(unlicensed).orElseThrow().outcome()).as("decided again: its row went away").isEqualTo("PROVISIONED");
            List<AppliedChange> changes = engine.pendingChanges(1000);
            assertThat(changes).extracting(AppliedChange::key).contains(licensed + "/student", unlicensed + "/student");

            SyncReport quiet = engine.sync(SyncMode.INCREMENTAL);
            assertThat(quiet.counts("users").updated() + quiet.counts("users").created()).as("an unchanged file changes nothing").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aSourceThatCannotBeReadFailsTheRunInOneLineAndAnotherDistrictIsNotTouched(Vendor vendor) {
        SyntheticDistrict district = SyntheticDistrict.demo();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(TestDatabases.fresh(vendor))
                     .plugin(new Licenses("lic", district.districtId())).pluginSetting("lic", "csv", dir.resolve("missing.csv").toString())
                     .plugin(new Licenses("elsewhere", "another-district")).build()) {
            SyncReport run = engine.sync(SyncMode.FULL);
            assertThat(run.status()).isEqualTo(SyncStatus.FAILED);
            assertThat(run.failure()).startsWith("HR-PLUGIN-015 plugin 'lic' source 'licenses' could not be read (")
                    .contains("missing.csv").contains("fix the source or the plugin's settings").doesNotContain("\n");
        }
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(TestDatabases.fresh(vendor))
                     .plugin(new Licenses("elsewhere", "another-district")).build()) {
            SyncReport run = engine.sync(SyncMode.FULL);
            assertThat(run.status()).as(run.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            assertThat(engine.explain(district.idsWith(Quirk.STUDENT_MULTIPLE_SECTIONS).get(0)).orElseThrow().provisioned())
                    .as("no plugin brings supplemental data here").containsEntry("supplemental", null);
        }
    }

    private static String sis(SyntheticDistrict district, String userId) {
        return district.record(userId).orElseThrow().path("roles").path("student").path("sis_id").asText();
    }

    /** License codes from the CSV its {@code csv} setting names; students whose code is NONE get no account. */
    private static final class Licenses extends dev.homeroom.host.testing.TestPlugin {

        Licenses(String name, String district) {
            super(name, district);
        }

        @Override
        public List<RuleFile> ruleFiles() {
            return List.of(new RuleFile("unlicensed.drl", """
                    package test.lic;
                    import dev.homeroom.spi.*;
                    // why: a student whose district bought no license for them gets no account
                    rule "LIC-SKIP-UNLICENSED skip a student whose license is NONE"
                        @id("LIC-SKIP-UNLICENSED")
                    when
                        $u : UserFact( !isGone(), hasRole("student") )
                        SupplementalData( cleverId == $u.id(), source == "licenses", get("license_code") == "NONE" )
                    then
                        insert(new Decision(RecordKind.USER, $u.id(), Outcome.SKIPPED, "LIC-SKIP-UNLICENSED", "the district holds no license for this student"));
                    end
                    """));
        }

        @Override
        public List<SupplementalSource> supplementalSources() {
            return List.of(new SupplementalSource() {
                @Override
                public String name() {
                    return "licenses";
                }

                @Override
                public void read(PluginContext context, SupplementalRows rows) throws IOException {
                    List<String> lines = Files.readAllLines(Path.of(context.settings().get("csv")));
                    for (int i = 1; i < lines.size(); i++) {
                        String[] cells = lines.get(i).split(",", -1);
                        if (cells.length != 2) {
                            rows.problem("line " + (i + 1), cells.length + " columns, expected 2");
                        } else {
                            rows.row(cells[0], Map.of("license_code", cells[1]));
                        }
                    }
                }
            });
        }
    }
}
