package dev.homeroom.host.plugins;

import dev.homeroom.spi.DistrictPlugin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds district plugin jars at test time, as a partner would ship them: Java sources compiled against the engine-spi
 * jar alone, the classes, resources and a {@code META-INF/services/dev.homeroom.spi.DistrictPlugin} file in one jar.
 */
final class PluginJars {
    private PluginJars() {}

    /**
     * Compiles {@code sources} (class name to source text) and writes a jar named {@code jarName} in {@code dir} that
     * registers {@code services} (class names, one a line, written as given) and holds {@code resources} (path to text).
     * Sources and classes are written in a new folder beside {@code dir}, so the plugin directory holds only jars.
     */
    static Path build(Path dir, String jarName, Map<String, String> sources, List<String> services, Map<String, String> resources)
            throws IOException {
        Path work = Files.createTempDirectory(dir.getParent(), jarName + "-src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-classpath", spiClassPath(), "-d", classes.toString()));
        for (var source : sources.entrySet()) {
            Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, null, errors, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("test plugin " + jarName + " did not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }

        Path jar = dir.resolve(jarName);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                entry(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
            entry(out, "META-INF/services/" + DistrictPlugin.class.getName(),
                    (String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
            for (var resource : resources.entrySet()) {
                entry(out, resource.getKey(), resource.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static void entry(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    /** The engine-spi jar (or classes folder) the test runs with: surefire's own class path is a manifest-only jar. */
    private static String spiClassPath() {
        try {
            return Path.of(DistrictPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
