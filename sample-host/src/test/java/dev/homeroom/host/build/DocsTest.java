package dev.homeroom.host.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's docs live in the project: every relative link in README.md, docs/*.md and the modules' READMEs
 * resolves to a file or folder inside the repository, and no file points at design notes outside it.
 */
class DocsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    static List<Path> markdown() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.walk(ROOT, 3)) {
            files.filter(f -> f.getFileName().toString().endsWith(".md"))
                    .filter(f -> !ROOT.relativize(f).toString().contains("target"))
                    .filter(f -> !f.equals(ROOT.resolve("README.md")))
                    .forEach(docs::add);
        }
        return docs;
    }

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
        List<Path> docs = markdown();
        assertThat(docs).extracting(d -> ROOT.relativize(d).toString().replace('\\', '/'))
                .contains("README.md", "docs/POLICIES.md", "docs/CLI.md", "docs/ARCHITECTURE.md", "docs/SCENARIOS.md", "rules/README.md");
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path doc : docs) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue; // https://, mailto: and in-page anchors
                }
                links++;
                Path resolved = doc.getParent().resolve(target.replaceAll("#.*$", "")).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(doc) + ": " + target);
                }
            }
        }
        assertThat(links).as("links checked").isGreaterThan(20);
        assertThat(broken).as("links that leave the repository or point at nothing").isEmpty();
    }

    @Test
    void nothingInTheRepositoryPointsAtDesignNotesOutsideIt() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = ROOT.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith(".git") || rel.contains("/target/") || rel.startsWith("target/")
                        || !rel.matches(".*\\.(java|md|drl|properties|xml|scenario|sql|txt|list)$")) {
                    continue;
                }
                if (rel.equals("sample-host/src/test/java/dev/homeroom/host/build/DocsTest.java")) {
                    continue; // this test names what it looks for
                }
                String text = Files.readString(f);
                if (text.contains("../shared") || text.contains("shared/design")) {
                    offenders.add(rel);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
