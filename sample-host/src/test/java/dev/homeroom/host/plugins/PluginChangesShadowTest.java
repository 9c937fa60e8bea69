package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.host.e2e.malformed.CleverStub;
import dev.homeroom.host.e2e.realdata.TinyDistrict;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RecordTransformer;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.SpiVersion;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9 item 1: the shadow keeps what Clever sent, not a plugin's output; the class is provisioned as the plugins made
 * it, and {@code explain} shows Clever's value and what each plugin changed, naming the plugin.
 */
class PluginChangesShadowTest {

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void theShadowKeepsCleversValueAndExplainNamesEachPluginsChange(Vendor vendor) throws Exception {
        TinyDistrict district = TinyDistrict.oneClass();
        StoreConfig db = TestDatabases.fresh(vendor);
        try (CleverStub clever = district.serve();
             SyncEngine engine = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TinyDistrict.TOKEN).store(db)
                     .discoverPlugins(false).plugin(new Renamer("upper", String::toUpperCase)).plugin(new Renamer("tagged", n -> n + " [T]"))
                     .build()) {
            engine.sync(SyncMode.FULL);

            assertThat(shadowPayload(db, "section-1")).as("the shadow keeps what Clever sent")
                    .contains("\"Math section-1\"").doesNotContain("MATH SECTION-1");
            Explanation e = engine.explain("section-1").orElseThrow();
            assertThat(e.provisioned()).as("the class is provisioned as the plugins made it").containsEntry("name", "MATH SECTION-1 [T]");
            assertThat(e.decisions()).filteredOn(l -> l.rule().startsWith("plugin:"))
                    .extracting(Explanation.Line::rule, Explanation.Line::outcome, Explanation.Line::reason)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("plugin:upper", "CHANGED name",
                                    "Clever sent 'Math section-1'; plugin upper made it 'MATH SECTION-1'"),
                            org.assertj.core.groups.Tuple.tuple("plugin:tagged", "CHANGED name",
                                    "plugin upper made it 'MATH SECTION-1'; plugin tagged made it 'MATH SECTION-1 [T]'"));

            engine.sync(SyncMode.FULL);
            assertThat(engine.pendingChanges(1000)).filteredOn(c -> c.runId().equals(engine.runs(1).get(0).runId()))
                    .as("an unchanged re-sync with the same plugins changes nothing").isEmpty();
        }
    }

    private static String shadowPayload(StoreConfig db, String id) {
        try (Store store = Store.open(db)) {
            return store.read(s -> s.shadow().payload(TinyDistrict.DISTRICT, RecordKind.SECTION, id)).orElseThrow();
        }
    }

    private record Renamer(String name, java.util.function.UnaryOperator<String> rename) implements DistrictPlugin {
        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        public boolean appliesTo(String districtId) {
            return true;
        }

        @Override
        public List<RecordTransformer> recordTransformers() {
            return List.of(new RecordTransformer() {
                @Override
                public Section transformSection(Section s) {
                    return s.withName(rename.apply(s.name()));
                }
            });
        }
    }
}
