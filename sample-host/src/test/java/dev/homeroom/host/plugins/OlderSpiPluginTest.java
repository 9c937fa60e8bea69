package dev.homeroom.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.CleverSimulator;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import dev.homeroom.testkit.SyntheticDistrict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin built against SPI 1.0 (before version(), runListeners() and the grown context) keeps working on this engine:
 * its class file is compiled here against the 1.0 signatures of DistrictPlugin, PluginContext and SpiVersion (copied
 * from engine-spi 1.0, the types it only names left empty), so it declares SPI 1.0 and implements none of the newer
 * methods; loaded from a plugin directory, it runs with their defaults and its policy override decides.
 */
class OlderSpiPluginTest {
    private static final Map<String, String> SPI_1_0 = Map.of(
            "dev.homeroom.spi.SpiVersion", """
                    package dev.homeroom.spi;
                    public final class SpiVersion {
                        public static final String CURRENT = "1.0";
                        private SpiVersion() {}
                    }
                    """,
            "dev.homeroom.spi.PluginContext", """
                    package dev.homeroom.spi;
                    import java.util.Map;
                    public interface PluginContext {
                        default String spiVersion() { return SpiVersion.CURRENT; }
                        default Map<String, String> settings() { return Map.of(); }
                    }
                    """,
            "dev.homeroom.spi.RecordTransformer", "package dev.homeroom.spi;\npublic interface RecordTransformer {}\n",
            "dev.homeroom.spi.RuleFile", "package dev.homeroom.spi;\npublic record RuleFile(String name, String content) {}\n",
            "dev.homeroom.spi.DistrictPlugin", """
                    package dev.homeroom.spi;
                    import java.util.List;
                    import java.util.Map;
                    public interface DistrictPlugin {
                        String name();
                        String spiVersion();
                        default boolean appliesTo(String districtId) { return true; }
                        default void configure(PluginContext context) {}
                        default List<RecordTransformer> recordTransformers() { return List.of(); }
                        default List<RuleFile> ruleFiles() { return List.of(); }
                        default Map<String, String> policyOverrides() { return Map.of(); }
                    }
                    """);

    private static final String PLUGIN = """
            package legacy;
            import dev.homeroom.spi.DistrictPlugin;
            import dev.homeroom.spi.PluginContext;
            import dev.homeroom.spi.SpiVersion;
            import java.util.Map;
            public final class LegacyPlugin implements DistrictPlugin {
                private volatile String district = "";
                @Override public String name() { return "legacy"; }
                @Override public String spiVersion() { return SpiVersion.CURRENT; }
                @Override public void configure(PluginContext context) { district = context.settings().getOrDefault("districts", ""); }
                @Override public boolean appliesTo(String districtId) { return district.equals(districtId); }
                @Override public Map<String, String> policyOverrides() { return Map.of("classless.students", "PROVISION_LIMITED"); }
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void aPluginBuiltForSpi10RunsWithTheDefaultsOfWhatCameLater() throws IOException {
        Path spi = compile(tmp.resolve("spi-1.0"), SPI_1_0, null);
        Path plugin = compile(tmp.resolve("legacy"), Map.of("legacy.LegacyPlugin", PLUGIN), spi);
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        jar(plugin, plugins.resolve("legacy.jar"));

        SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(80).schools(2).build());
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).discoverPlugins(false)
                     .store(StoreConfig.h2Memory("legacy" + UUID.randomUUID().toString().replace("-", "")))
                     .pluginDirectory(plugins).pluginSetting("legacy", "districts", district.districtId()).build()) {
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.failure()).isNull();
            assertThat(report.refusedPlugins()).isEmpty();
            assertThat(report.loadedPlugins()).singleElement().asString().startsWith("legacy unversioned (SPI 1.0) from ");
            Explanation classless = engine.explain(district.idsWith(Quirk.STUDENT_NO_SECTIONS).get(0)).orElseThrow();
            assertThat(classless.outcome()).isEqualTo("PROVISIONED");
            assertThat(classless.decisions()).extracting(Explanation.Line::rule).contains("P1-LIMIT-CLASSLESS-STUDENT");
        }
    }

    private static Path compile(Path dir, Map<String, String> sources, Path classPath) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", classes.toString()));
        if (classPath != null) {
            args.addAll(List.of("-classpath", classPath.toString()));
        }
        for (var source : sources.entrySet()) {
            Path file = dir.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = ToolProvider.getSystemJavaCompiler().run(null, null, errors, args.toArray(String[]::new));
        assertThat(code).as(errors.toString(StandardCharsets.UTF_8)).isZero();
        return classes;
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/dev.homeroom.spi.DistrictPlugin"));
            out.write("legacy.LegacyPlugin\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
