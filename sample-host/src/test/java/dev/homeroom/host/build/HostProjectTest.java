package dev.homeroom.host.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a host and a partner get from Maven, checked the way they would: this build's artifacts are installed into a
 * private repository (third-party artifacts come from the machine's Maven cache, no network), then Maven runs on
 * generated projects. A host that imports {@code homeroom-bom} and depends on engine-core and the rules passes
 * {@code dependencyConvergence} and gets no JDBC driver or pool on its compile class path; a partner plugin built
 * against engine-spi compiles with every javac lint on and warnings as errors.
 */
class HostProjectTest {
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final String[][] MODULES = {
            {"homeroom-bom", "homeroom-bom", "pom"}, {".", "homeroom-parent", "pom"}, {"engine-spi", "engine-spi", "jar"},
            {"engine-store", "engine-store", "jar"}, {"engine-rules", "engine-rules", "jar"}, {"engine-core", "engine-core", "jar"},
            {"engine-testkit", "engine-testkit", "jar"}, {"rules", "rules", "jar"}, {"plugins/springfield", "plugin-springfield", "jar"},
            {"engine-admin", "engine-admin", "jar"}};

    private static Path root;
    private static Path work;
    private static Path repo;
    private static Path settings;

    @BeforeAll
    static void installThisBuild() throws IOException {
        root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("homeroom-bom/pom.xml")).as("run from the sample-host module").exists();
        work = Files.createDirectories(Path.of("target", "host-project").toAbsolutePath());
        repo = Files.createDirectories(work.resolve("m2"));
        for (String[] m : MODULES) {
            Path dir = repo.resolve("dev/homeroom").resolve(m[1]).resolve(VERSION);
            Files.createDirectories(dir);
            Files.copy(root.resolve(m[0]).resolve("pom.xml"), dir.resolve(m[1] + "-" + VERSION + ".pom"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (m[2].equals("jar")) {
                jar(root.resolve(m[0]).resolve("target/classes"), dir.resolve(m[1] + "-" + VERSION + ".jar"));
            }
        }
        String cache = System.getProperty("user.home") + "/.m2/repository";
        settings = Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <mirrors><mirror><id>machine-cache</id><mirrorOf>*</mirrorOf><url>file://%s</url></mirror></mirrors>
                </settings>
                """.formatted(cache));
    }

    @Test
    void aHostImportingTheBomConvergesAndChoosesItsOwnDriverAndPool() throws Exception {
        Result enforce = maven(host("host", """
                <dependencyConvergence/>
                <bannedDependencies>
                  <message>a JDBC driver or pool on the host's compile class path</message>
                  <excludes>
                    <exclude>com.h2database:h2:*:*:compile</exclude>
                    <exclude>org.postgresql:postgresql:*:*:compile</exclude>
                    <exclude>com.zaxxer:HikariCP:*:*:compile</exclude>
                    <exclude>org.postgresql:postgresql:*:*:runtime</exclude>
                  </excludes>
                </bannedDependencies>
                """), ENFORCE);
        assertThat(enforce.code()).as(enforce.output()).isZero();

        // the embedded default works out of the box: H2 and the pool do arrive, at runtime scope (banning them fails)
        Result runtime = maven(host("host-runtime", """
                <bannedDependencies>
                  <excludes>
                    <exclude>com.h2database:h2:*:*:runtime</exclude>
                    <exclude>com.zaxxer:HikariCP:*:*:runtime</exclude>
                  </excludes>
                </bannedDependencies>
                """), ENFORCE);
        assertThat(runtime.code()).as(runtime.output()).isNotZero();
        assertThat(runtime.output()).contains("com.h2database:h2:jar:", "com.zaxxer:HikariCP:jar:");
    }

    @Test
    void aHostMountingTheAdminConsoleConverges() throws Exception {
        Result enforce = maven(host("host-admin", "<dependencyConvergence/>",
                "<dependency><groupId>dev.homeroom</groupId><artifactId>engine-admin</artifactId></dependency>"), ENFORCE);
        assertThat(enforce.code()).as(enforce.output()).isZero();
    }

    private static final String ENFORCE = "org.apache.maven.plugins:maven-enforcer-plugin:3.6.2:enforce";

    /** A host project that imports the BOM, depends on engine-core and the shipped rules, and enforces these rules. */
    private static Path host(String name, String rules) throws IOException {
        return host(name, rules, "");
    }

    private static Path host(String name, String rules, String more) throws IOException {
        return project(name, """
                <dependencyManagement><dependencies>
                  <dependency><groupId>dev.homeroom</groupId><artifactId>homeroom-bom</artifactId><version>%s</version><type>pom</type><scope>import</scope></dependency>
                </dependencies></dependencyManagement>
                <dependencies>
                  <dependency><groupId>dev.homeroom</groupId><artifactId>engine-core</artifactId></dependency>
                  <dependency><groupId>dev.homeroom</groupId><artifactId>rules</artifactId></dependency>
                  %s
                </dependencies>
                <build><plugins><plugin>
                  <groupId>org.apache.maven.plugins</groupId><artifactId>maven-enforcer-plugin</artifactId><version>3.6.2</version>
                  <configuration><rules>%s</rules></configuration>
                </plugin></plugins></build>
                """.formatted(VERSION, more, rules));
    }

    @Test
    void aPartnerPluginCompilesAgainstEngineSpiWithoutWarnings() throws Exception {
        Path partner = project("partner", """
                <dependencies>
                  <dependency><groupId>dev.homeroom</groupId><artifactId>engine-spi</artifactId><version>%s</version><scope>provided</scope></dependency>
                </dependencies>
                <build><plugins>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                  <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.16.0</version>
                    <configuration><release>17</release><failOnWarning>true</failOnWarning><showWarnings>true</showWarnings>
                      <compilerArgs><arg>-Xlint:all</arg></compilerArgs></configuration></plugin>
                </plugins></build>
                """.formatted(VERSION));
        Path source = partner.resolve("src/main/java/partner/PartnerPlugin.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package partner;

                import dev.homeroom.spi.DistrictPlugin;
                import dev.homeroom.spi.RecordTransformer;
                import dev.homeroom.spi.Section;
                import dev.homeroom.spi.SpiVersion;
                import java.util.List;

                public final class PartnerPlugin implements DistrictPlugin {
                    @Override public String name() { return "partner"; }
                    @Override public String spiVersion() { return SpiVersion.CURRENT; }
                    @Override public boolean appliesTo(String districtId) { return false; }
                    @Override public List<RecordTransformer> recordTransformers() {
                        return List.of(new RecordTransformer() {
                            @Override public Section transformSection(Section section) { return section; }
                        });
                    }
                }
                """);
        Result compile = maven(partner, "compile");
        assertThat(compile.code()).as("failOnWarning: any javac warning fails the build\n" + compile.output()).isZero();
    }

    record Result(int code, String output) {}

    private static Path project(String name, String body) throws IOException {
        Path dir = work.resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId><artifactId>%s</artifactId><version>1</version>
                  <properties><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
                  %s
                </project>
                """.formatted(name, body));
        return dir;
    }

    private static Result maven(Path project, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-nsu", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repo, "-f", project.resolve("pom.xml").toString()));
        command.addAll(List.of(goals));
        Path log = project.resolve("maven.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("maven did not finish in 3 minutes: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The module's classes as its jar (the test phase runs before package, so the reactor has no jars yet). */
    private static void jar(Path classes, Path jar) throws IOException {
        assertThat(classes).as("compiled classes of " + jar.getFileName()).isDirectory();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
