package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.FillerProvider;
import dev.homeroom.spi.MissingField;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.Change;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Filler providers (SPI 1.2): a plugin's own filler for a missing field takes the place of the default one in its
 * districts only, is marked as filler, named in explain by the plugin, and gives way when Clever sends the field.
 */
class FillerProviderTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aDistrictsOwnBirthdayRuleFillsMissingDobsUntilCleverSendsThem(Vendor vendor) {
        SyntheticDistrict district = SyntheticDistrict.demo();
        SyntheticDistrict next = district.next();
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(db)
                     .plugin(new Birthdays("birthdays", district.districtId())).plugin(new Birthdays("elsewhere", "another-district"))
                     .build()) {
            SyncReport first = engine.sync(SyncMode.INCREMENTAL);
            assertThat(first.status()).as(first.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);

            String gainsDob = next.changes().get(Change.USER_GAINED_DOB).get(0);
            for (String id : List.of(gainsDob, district.idsWith(Quirk.STUDENT_MISSING_DOB).get(0))) {
                Explanation e = engine.explain(id).orElseThrow();
                assertThat(e.fillers()).as("the plugin's filler, named by the plugin, in place of P5's").singleElement().satisfies(f -> {
                    assertThat(f.field()).isEqualTo("dob");
                    assertThat(f.value()).isEqualTo("9/1/2010");
                    assertThat(f.rule()).isEqualTo("plugin:birthdays/filler:dob");
                    assertThat(f.reason()).contains("September 1").contains("plugin birthdays");
                });
                assertThat(e.provisioned()).containsEntry("dob", "2010-09-01").containsEntry("dob_filler", true);
                assertThat(e.decisions()).anySatisfy(l -> assertThat(l.rule() + " " + l.outcome() + ": " + l.reason())
                        .isEqualTo("plugin:birthdays PLUGIN birthdays: plugin birthdays had a part in this decision: filler dob"));
                assertThat(e.warnings()).anySatisfy(w -> assertThat(w.message()).contains("9/1/2010 (plugin birthdays)"));
            }

            sim.advanceTo(next);
            SyncReport second = engine.sync(SyncMode.INCREMENTAL);
            assertThat(second.status()).as(second.failure()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            Explanation real = engine.explain(gainsDob).orElseThrow();
            assertThat(real.fillers()).as("Clever sent a dob: the filler is gone").isEmpty();
            assertThat(real.provisioned()).containsEntry("dob_filler", false).doesNotContainEntry("dob", "2010-09-01");
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aDistrictThePluginIsNotForKeepsTheDefaultFiller(Vendor vendor) {
        SyntheticDistrict district = SyntheticDistrict.demo();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(TestDatabases.fresh(vendor))
                     .plugin(new Birthdays("elsewhere", "another-district")).build()) {
            engine.sync(SyncMode.FULL);
            Explanation e = engine.explain(district.idsWith(Quirk.STUDENT_MISSING_DOB).get(0)).orElseThrow();
            assertThat(e.fillers()).singleElement().satisfies(f -> assertThat(f.rule()).isEqualTo("P5-FILLER-DOB"));
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aProviderForAFieldHomeroomDoesNotFillIsRefusedInOneLine(Vendor vendor) {
        DistrictPlugin wrong = new Birthdays("wrong-field", "x") {
            @Override
            public List<FillerProvider> fillerProviders() {
                return List.of(new FillerProvider() {
                    @Override
                    public String field() {
                        return "shoe_size";
                    }

                    @Override
                    public Optional<String> fill(MissingField missing) {
                        return Optional.of("x");
                    }
                });
            }
        };
        SyntheticDistrict district = SyntheticDistrict.demo();
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).store(TestDatabases.fresh(vendor))
                     .plugin(wrong).build()) {
            assertThat(engine.refusedPlugins()).singleElement().asString().startsWith("HR-PLUGIN-013 plugin 'wrong-field'")
                    .contains("field 'shoe_size' of users").contains("use a user field, one of [dob,").doesNotContain("\n");
        }
    }

    /** A district whose students without a birthday get September 1 of the year they would have started school. */
    private static class Birthdays extends dev.homeroom.host.testing.TestPlugin {

        Birthdays(String name, String district) {
            super(name, district);
        }

        @Override
        public List<FillerProvider> fillerProviders() {
            return List.of(new FillerProvider() {
                @Override
                public String field() {
                    return "dob";
                }

                @Override
                public Optional<String> fill(MissingField missing) {
                    return missing.student() == null ? Optional.empty() : Optional.of("9/1/2010");
                }

                @Override
                public String reason() {
                    return "September 1 of a typical school-start year";
                }
            });
        }
    }
}
