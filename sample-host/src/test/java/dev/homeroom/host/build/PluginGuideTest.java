package dev.homeroom.host.build;

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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/PLUGINS.md, followed as written: the {@code sh} blocks between its {@code guide:begin} and {@code guide:end}
 * markers run in an empty directory with bash, with Maven pointed at a private repository holding this build's
 * artifacts (third-party ones from the machine's Maven cache, no network), the way {@link HostProjectTest} does. The
 * guide's project must build, its golden-roster test must pass twice (writing the golden file, then comparing), and the
 * jar it makes must load from a plugin directory and change the decisions of the district it is enabled for.
 */
class PluginGuideTest {
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final String[][] MODULES = {
            {"homeroom-bom", "homeroom-bom", "pom"}, {".", "homeroom-parent", "pom"}, {"engine-spi", "engine-spi", "jar"},
            {"engine-store", "engine-store", "jar"}, {"engine-rules", "engine-rules", "jar"}, {"engine-core", "engine-core", "jar"},
            {"engine-testkit", "engine-testkit", "jar"}, {"rules", "rules", "jar"}};

    @Test
    void theGuidesProjectBuildsTestsAndLoadsAsWritten() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String guide = Files.readString(root.resolve("docs/PLUGINS.md"), StandardCharsets.UTF_8);
        String script = steps(guide);
        assertThat(script).contains("mvn -q verify", "cat > pom.xml");

        Path work = Files.createDirectories(Path.of("target", "plugin-guide").toAbsolutePath());
        deleteUnder(work);
        Path repo = install(root, Files.createDirectories(work.resolve("m2")));
        Path settings = Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <mirrors><mirror><id>machine-cache</id><mirrorOf>*</mirrorOf><url>file://%s</url></mirror></mirrors>
                </settings>
                """.formatted(System.getProperty("user.home") + "/.m2/repository"));
        Path dir = Files.createDirectories(work.resolve("partner"));
        // the guide's mvn, with this build's artifacts instead of an installed Homeroom
        String prelude = "set -euo pipefail\nmvn() { command mvn -B -ntp -nsu -s '" + settings + "' -Dmaven.repo.local='" + repo
                + "' \"$@\"; }\n";
        Path sh = Files.writeString(work.resolve("guide.sh"), prelude + script);

        Result first = bash(sh, dir);
        assertThat(first.code()).as(first.output()).isZero();
        Path project = dir.resolve("greenville-plugin");
        Path golden = project.resolve("src/test/resources/golden/greenville-seed-42.txt");
        assertThat(golden).exists();
        assertThat(Files.readString(golden)).contains("warning GREENVILLE_CO_TAUGHT teachers by GREENVILLE-WARN-CO-TAUGHT")
                .contains("filler dob = 2/14/2019 by plugin:greenville/filler:dob")
                .contains("value supplemental = {\"greenville\":{\"dob\":\"\",\"license_code\":\"GV-MATH-2027\"}}")
                .contains("run warning SUPPLEMENTAL_UNMATCHED sis_id by plugin:greenville/supplemental:licenses")
                .contains("'S999999' matches no user");

        // again: now the golden file is compared, and passes
        Result second = bash(Files.writeString(work.resolve("verify.sh"), prelude + "cd greenville-plugin && mvn -q verify\n"), dir);
        assertThat(second.code()).as(second.output()).isZero();

        Path jar = project.resolve("target/greenville-plugin-1.0.0.jar");
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        SyntheticDistrict district = SyntheticDistrict.of(DistrictSpec.builder().students(80).schools(2).seed(42).build());
        String licenses = project.resolve("src/test/resources/greenville-licenses.csv").toString();
        String classless = district.idsWith(Quirk.STUDENT_NO_SECTIONS).get(0);
        String noDob = district.idsWith(Quirk.STUDENT_MISSING_DOB).get(0);
        String coTaught = district.idsWith(Quirk.SECTION_CO_TEACHERS).get(0);
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).discoverPlugins(false)
                     .store(StoreConfig.h2Memory("guide" + UUID.randomUUID().toString().replace("-", "")))
                     .pluginDirectory(plugins).pluginSetting("greenville", "districts", district.districtId())
                     .pluginSetting("greenville", "licenses", licenses).build()) {
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.failure()).isNull();
            assertThat(report.loadedPlugins()).singleElement().asString()
                    .startsWith("greenville 1.0.0 (SPI ").endsWith(plugins.resolve(jar.getFileName()).toString());
            Explanation student = engine.explain(classless).orElseThrow();
            assertThat(student.outcome()).isEqualTo("PROVISIONED");
            assertThat(student.decisions()).extracting(Explanation.Line::rule).contains("P1-LIMIT-CLASSLESS-STUDENT");
            assertThat(student.provisioned()).containsEntry("supplemental", "{\"greenville\":{\"dob\":\"\",\"license_code\":\"GV-MATH-2027\"}}");
            // the filler provider and the supplemental data of a jar built against engine-spi alone, named in explain
            Explanation filled = engine.explain(noDob).orElseThrow();
            assertThat(filled.fillers()).singleElement().satisfies(f -> {
                assertThat(f.rule()).isEqualTo("plugin:greenville/filler:dob");
                assertThat(f.value()).isEqualTo("2/14/2019");
            });
            assertThat(filled.provisioned()).containsEntry("dob", "2019-02-14").containsEntry("dob_filler", true);
            assertThat(filled.decisions()).anySatisfy(l -> assertThat(l.rule() + " " + l.outcome() + ": " + l.reason())
                    .isEqualTo("plugin:greenville PLUGIN greenville: plugin greenville had a part in this decision: filler dob, supplemental licenses"));
            assertThat(engine.explain(coTaught).orElseThrow().decisions()).anySatisfy(l -> assertThat(l.rule() + " " + l.outcome() + ": " + l.reason())
                    .isEqualTo("plugin:greenville PLUGIN greenville: plugin greenville had a part in this decision: rule GREENVILLE-WARN-CO-TAUGHT"));
            assertThat(engine.warnings(report.runId(), 10_000)).anySatisfy(w -> assertThat(w.message()).contains("'S999999' matches no user"));
        }
        // the same jar in a host that did not enable it for the district: the default decisions
        try (CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
             SyncEngine engine = SyncEngine.builder().cleverUrl(sim.baseUrl().toString()).token(sim.token()).discoverPlugins(false)
                     .store(StoreConfig.h2Memory("guide" + UUID.randomUUID().toString().replace("-", "")))
                     .pluginDirectory(plugins).pluginSetting("greenville", "districts", "some-other-district")
                     .pluginSetting("greenville", "licenses", licenses).build()) {
            SyncReport report = engine.sync(SyncMode.FULL);
            assertThat(report.failure()).isNull();
            Explanation student = engine.explain(classless).orElseThrow();
            assertThat(student.outcome()).isEqualTo("SKIPPED");
            assertThat(student.decisions()).extracting(Explanation.Line::rule).contains("P1-SKIP-CLASSLESS-STUDENT")
                    .noneMatch(rule -> rule.startsWith("plugin:"));
            assertThat(engine.explain(noDob).orElseThrow().fillers()).singleElement()
                    .satisfies(f -> assertThat(f.rule()).isEqualTo("P5-FILLER-DOB"));
            assertThat(engine.explain(coTaught).orElseThrow().warnings()).noneMatch(w -> w.code().equals("GREENVILLE_CO_TAUGHT"));
        }
    }

    /** The guide's sh blocks between its markers, in order, as one script. */
    static String steps(String guide) {
        int begin = guide.indexOf("<!-- guide:begin -->");
        int end = guide.indexOf("<!-- guide:end -->");
        assertThat(begin).as("guide:begin marker").isNotNegative();
        assertThat(end).as("guide:end marker").isGreaterThan(begin);
        Matcher blocks = Pattern.compile("(?s)```sh\\n(.*?)```").matcher(guide.substring(begin, end));
        StringBuilder script = new StringBuilder();
        while (blocks.find()) {
            script.append(blocks.group(1)).append('\n');
        }
        return script.toString();
    }

    record Result(int code, String output) {}

    private static Result bash(Path script, Path dir) throws IOException, InterruptedException {
        Path log = script.resolveSibling(script.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // a partner follows the guide on their own machine, where the first run writes the golden file (under CI=true
        // the kit refuses to write a missing one, as it should in the partner's CI)
        pb.environment().remove("CI");
        Process p = pb.start();
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the guide's steps did not finish in 8 minutes: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** This build's poms and classes as a Maven repository (the test phase runs before package: jars from target/classes). */
    private static Path install(Path root, Path repo) throws IOException {
        for (String[] m : MODULES) {
            Path dir = Files.createDirectories(repo.resolve("dev/homeroom").resolve(m[1]).resolve(VERSION));
            Files.copy(root.resolve(m[0]).resolve("pom.xml"), dir.resolve(m[1] + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
            if (m[2].equals("jar")) {
                jar(root.resolve(m[0]).resolve("target/classes"), dir.resolve(m[1] + "-" + VERSION + ".jar"));
            }
        }
        return repo;
    }

    private static void jar(Path classes, Path jar) throws IOException {
        assertThat(classes).as("compiled classes of " + jar.getFileName()).isDirectory();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(f -> !f.equals(classes)).sorted().toList()) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (Files.isDirectory(f)) {
                    out.putNextEntry(new JarEntry(name + "/")); // Flyway finds its migrations by listing directory entries
                } else {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(f, out);
                }
                out.closeEntry();
            }
        }
    }

    private static void deleteUnder(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> !f.equals(dir)).forEach(all::add);
        }
        all.sort(java.util.Comparator.reverseOrder());
        for (Path f : all) {
            Files.delete(f);
        }
    }
}
