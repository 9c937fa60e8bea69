package dev.homeroom.host.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.SyntheticDistrict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8 item 4, on H2 and PostgreSQL: a token that synced one district and now sees another is refused with one
 * clear line (nothing of the other district is stored or announced), unless the host allows the change.
 */
class TokenDistrictChangeTest {
    private static final String TOKEN = "the-same-token-for-both";

    private static SyncEngine engine(CleverSimulator sim, StoreConfig db, boolean allow) {
        return SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(TOKEN).store(db).discoverPlugins(false)
                .allowDistrictChange(allow).build();
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aTokenThatNowSeesAnotherDistrictIsRefusedUnlessTheHostAllowsIt(Vendor vendor) {
        SyntheticDistrict first = SyntheticDistrict.of(DistrictSpec.builder().students(150).seed(1).districtName("First").build());
        SyntheticDistrict other = SyntheticDistrict.of(DistrictSpec.builder().students(150).seed(2).districtName("Other").build());
        assertThat(other.districtId()).isNotEqualTo(first.districtId());
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverSimulator a = CleverSimulator.builder().district(first).token(TOKEN).build().start();
             CleverSimulator b = CleverSimulator.builder().district(other).token(TOKEN).build().start()) {
            try (SyncEngine engine = engine(a, db, false)) {
                assertThat(engine.sync(SyncMode.FULL).status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
                assertThat(engine.sync(SyncMode.FULL).status()).as("the same district again is fine")
                        .isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            }
            int pendingBefore;
            try (SyncEngine engine = engine(b, db, false)) {
                pendingBefore = engine.pendingChanges(100_000).size();
                assertThatThrownBy(() -> engine.sync(SyncMode.FULL)).isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.code()).isEqualTo("HR-CONFIG-076");
                    assertThat(e.getMessage()).contains("synced district " + first.districtId())
                            .contains("now shows it district " + other.districtId()).contains("allowDistrictChange(true)")
                            .doesNotContain(TOKEN).doesNotContain("\n");
                });
                assertThatThrownBy(() -> engine.plan(SyncMode.FULL)).isInstanceOf(ConfigurationException.class);
                assertThat(engine.runs(100)).as("no run of the other district was recorded")
                        .allSatisfy(r -> assertThat(r.districtId()).isEqualTo(first.districtId()));
                assertThat(engine.pendingChanges(100_000)).as("nothing announced to the host").hasSize(pendingBefore);
            }
            try (SyncEngine engine = engine(b, db, true)) {
                SyncReport moved = engine.sync(SyncMode.FULL);
                assertThat(moved.status()).isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
                assertThat(moved.districtId()).isEqualTo(other.districtId());
            }
            try (SyncEngine engine = engine(b, db, false)) {
                assertThat(engine.sync(SyncMode.FULL).status()).as("the token is now bound to the district it moved to")
                        .isIn(SyncStatus.SUCCEEDED, SyncStatus.SUCCEEDED_WITH_WARNINGS);
            }
        }
    }
}
