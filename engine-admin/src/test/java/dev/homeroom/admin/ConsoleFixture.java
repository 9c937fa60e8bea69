package dev.homeroom.admin;

import dev.homeroom.engine.SyncEngine;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.Name;
import dev.homeroom.spi.RecordTransformer;
import dev.homeroom.spi.SpiVersion;
import dev.homeroom.spi.User;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.store.TestDatabases;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Clever simulator, an engine syncing it into a fresh store (H2 or PostgreSQL) with policies the test writes, and the
 * console over that engine on a free loopback port. A plugin renames one classless student to a hostile name, so every
 * page that lists them shows whether it escapes; it also renames the sections a test puts in {@link #sectionSuffixes}.
 */
final class ConsoleFixture implements AutoCloseable {
    static final String HOSTILE = "<script>alert(1)</script>";

    final CleverSimulator clever;
    final SyncEngine engine;
    final AdminProgress progress = new AdminProgress();
    final AdminConsole console;
    final Path policies;
    final String hostileStudent;
    final String districtId;
    final int port;
    /** Sections the plugin renames (Clever id to a suffix): the changes a test reviews in a MANUAL plan. */
    final Map<String, String> sectionSuffixes = new java.util.concurrent.ConcurrentHashMap<>();

    ConsoleFixture(Vendor vendor, String policyText, TestAuthorizer authorizer, StoreConfig store) throws IOException {
        SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(240).seed(7).build());
        this.clever = CleverSimulator.builder().district(district).build().start();
        this.districtId = district.districtId();
        this.hostileStudent = district.idsWith(Quirk.STUDENT_NO_SECTIONS).get(0);
        this.policies = Files.createTempFile("homeroom-admin-policies", ".properties");
        policies(policyText);
        String renamed = hostileStudent;
        DistrictPlugin hostile = new DistrictPlugin() {
            @Override public String name() { return "hostile-names"; }
            @Override public String spiVersion() { return SpiVersion.CURRENT; }
            @Override public List<RecordTransformer> recordTransformers() {
                return List.of(new RecordTransformer() {
                    @Override public User transformUser(User user) {
                        return user.id().equals(renamed) ? user.withName(new Name(user.name().first(), null, HOSTILE)) : user;
                    }

                    @Override public dev.homeroom.spi.Section transformSection(dev.homeroom.spi.Section section) {
                        String suffix = sectionSuffixes.get(section.id());
                        return suffix == null ? section : section.withName(section.name() + suffix);
                    }
                });
            }
        };
        this.engine = SyncEngine.builder().cleverUrl(clever.baseUrl().toString()).token(clever.token())
                .store(store == null ? TestDatabases.fresh(vendor) : store).policiesFile(policies).discoverPlugins(false)
                .plugin(hostile).listener(progress).build();
        this.console = AdminConsole.builder(engine).authorizer(authorizer == null ? everything(districtId) : authorizer)
                .progress(progress).build();
        console.javalin().start("127.0.0.1", 0);
        this.port = console.javalin().port();
    }

    static TestAuthorizer everything(String districtId) {
        return new TestAuthorizer(Map.of("ada", Set.of(districtId)), Map.of("ada", Set.of(districtId)));
    }

    void policies(String text) throws IOException {
        Files.writeString(policies, text);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws IOException {
        console.close();
        engine.close();
        clever.close();
        Files.deleteIfExists(policies);
    }
}
