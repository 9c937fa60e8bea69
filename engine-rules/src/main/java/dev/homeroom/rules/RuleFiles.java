package dev.homeroom.rules;

import dev.homeroom.spi.RuleFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Where rule files come from: a directory a product team edits, or the default set in the rules jar.
 * The rules jar lists its files in {@value #DEFAULT_INDEX} (one file name per line, relative to
 * {@value #DEFAULT_FOLDER}) because a classpath folder cannot be listed inside a (shaded) jar; a test in the rules
 * module fails when that index and the folder disagree.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class RuleFiles {
    public static final String DEFAULT_FOLDER = "homeroom/rules/";
    public static final String DEFAULT_INDEX = DEFAULT_FOLDER + "index.list";

    private RuleFiles() {}

    /**
     * Every {@code *.drl} under {@code dir} (sub-folders included), sorted by path, each named by its path relative
     * to {@code dir} with {@code /} separators. A directory without any is refused ({@link RulesException#NO_RULES}):
     * no rules would provision every record Clever sends.
     */
    public static List<RuleFile> fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RulesException(RulesException.NOT_FOUND, "rules directory not found: " + dir.toAbsolutePath());
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> p.getFileName().toString().endsWith(".drl") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new RulesException(RulesException.NOT_FOUND, "cannot list rules directory " + dir.toAbsolutePath() + ": " + e.getMessage());
        }
        if (paths.isEmpty()) {
            throw new RulesException(RulesException.NO_RULES, "rules directory " + dir.toAbsolutePath()
                    + " holds no .drl rule files, and with no rules every record would be provisioned: put the rule files"
                    + " there, or leave the rules directory out to use the shipped rules");
        }
        List<RuleFile> files = new ArrayList<>(paths.size());
        for (Path p : paths) {
            String name = dir.relativize(p).toString().replace('\\', '/');
            try {
                files.add(new RuleFile(name, Files.readString(p, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new RulesException(RulesException.NOT_FOUND, "cannot read rule file " + p.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        return List.copyOf(files);
    }

    /** The default rules shipped in the rules jar, named {@code homeroom/rules/<file>.drl}. */
    public static List<RuleFile> defaults() {
        ClassLoader loader = loader();
        List<String> names = new ArrayList<>();
        try (InputStream index = loader.getResourceAsStream(DEFAULT_INDEX)) {
            if (index == null) {
                throw new RulesException(RulesException.NOT_FOUND,
                        DEFAULT_INDEX + " not on the classpath: add the dev.homeroom:rules jar or pass a rules directory");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String name = line.strip();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new RulesException(RulesException.NOT_FOUND, "cannot read " + DEFAULT_INDEX + ": " + e.getMessage());
        }
        names.sort(null);
        List<RuleFile> files = new ArrayList<>(names.size());
        for (String name : names) {
            String resource = DEFAULT_FOLDER + name;
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new RulesException(RulesException.NOT_FOUND, DEFAULT_INDEX + " names " + name + ", which is not on the classpath");
                }
                files.add(new RuleFile(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new RulesException(RulesException.NOT_FOUND, "cannot read " + resource + ": " + e.getMessage());
            }
        }
        return List.copyOf(files);
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context.getResource(DEFAULT_INDEX) != null) {
            return context;
        }
        return RuleFiles.class.getClassLoader();
    }
}
