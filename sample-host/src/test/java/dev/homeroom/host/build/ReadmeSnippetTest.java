package dev.homeroom.host.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java snippet is what a host engineer pastes first: it compiles as written against the engine. */
class ReadmeSnippetTest {
    @TempDir
    Path tmp;

    @Test
    void theReadmesJavaSnippetCompiles() throws IOException {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README.md has a ```java block").isTrue();
        String snippet = m.group(1);
        Matcher type = Pattern.compile("(?m)^(?:public )?(?:final )?class (\\w+)").matcher(snippet);
        assertThat(type.find()).as("the snippet declares a class, so it compiles on its own").isTrue();
        Path source = Files.writeString(tmp.resolve(type.group(1) + ".java"), snippet);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac.run(null, null, diagnostics, "--release", "17", "-proc:none", "-Xlint:all", "-Werror",
                "-classpath", classPath(), "-d", tmp.resolve("classes").toString(), source.toString());
        assertThat(code).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();
    }

    /** The test's class path; surefire hands it over as one jar whose manifest lists the rest, so expand that. */
    static String classPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            entries.add(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry))) {
                try (JarFile jar = new JarFile(entry)) {
                    var manifest = jar.getManifest();
                    String listed = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                    if (listed != null) {
                        for (String url : listed.trim().split("\\s+")) {
                            entries.add(Path.of(java.net.URI.create(url)).toString());
                        }
                    }
                }
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
