package dev.homeroom.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/**
 * Pins engine-spi's public surface: every public type of {@code dev.homeroom.spi}, with its {@code @API} status, and every
 * public or protected constructor, method and field, read by reflection from the compiled classes and compared with the
 * committed {@code engine-spi/api/spi-signatures.txt}. Any difference fails the build with a diff ({@code -} gone or
 * changed, {@code +} new), so a change to what partners compile against is always deliberate.
 *
 * <p>To accept a change, raise {@code homeroom.spi.version} in engine-spi's pom and {@link SpiVersion#CURRENT} (the next
 * minor for additions, the next major when anything was removed or changed, or an abstract method was added to an
 * interface), then regenerate the file:
 * {@code mvn -B -q -pl engine-spi test -Dtest=SpiSignatureTest -Dhomeroom.spi.update-signatures=true}. Regenerating
 * refuses a change the version bump does not cover.
 */
class SpiSignatureTest {
    static final String UPDATE_FLAG = "homeroom.spi.update-signatures";
    private static final String PACKAGE = "dev.homeroom.spi";

    @Test
    void thePublicSurfaceIsTheCommittedOne() throws IOException {
        Path file = Path.of(System.getProperty("basedir", "."), "api", "spi-signatures.txt");
        List<String> current = signatures();
        assertThat(current).as("the scan found the SPI's types").anyMatch(l -> l.startsWith(DistrictPlugin.class.getName() + " "));

        List<String> baseline = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        String baselineVersion = baseline.stream().filter(l -> l.startsWith("# SPI ")).map(l -> l.substring(6).strip())
                .findFirst().orElse("0.0");
        List<String> before = baseline.stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        Diff diff = Diff.of(before, current);
        if (diff.isEmpty()) {
            return;
        }
        String running = SpiVersion.running();
        String needed = diff.incompatible() ? (SpiVersion.major(baselineVersion) + 1) + ".0" : "a minor above " + baselineVersion;
        boolean covered = before.isEmpty() || covers(baselineVersion, running, diff.incompatible());
        if (Boolean.getBoolean(UPDATE_FLAG) && covered) {
            List<String> out = new ArrayList<>();
            out.add("# engine-spi public API (SpiSignatureTest). Regenerate: mvn -B -q -pl engine-spi test -Dtest=SpiSignatureTest -D"
                    + UPDATE_FLAG + "=true");
            out.add("# SPI " + running);
            out.addAll(current);
            Files.createDirectories(file.getParent());
            Files.write(file, out, StandardCharsets.UTF_8);
            return;
        }
        fail((diff.incompatible()
                ? "engine-spi's public API changed INCOMPATIBLY (plugins built for SPI " + baselineVersion + " would break)"
                : "engine-spi's public API grew (compatible additions)")
                + " against " + file + ":\n" + diff.render()
                + (covered ? "" : "\nSPI version " + running + " does not cover it: raise homeroom.spi.version (engine-spi/pom.xml) and "
                        + "SpiVersion.CURRENT to " + needed + ", or undo the change.")
                + "\nTo accept it: mvn -B -q -pl engine-spi test -Dtest=SpiSignatureTest -D" + UPDATE_FLAG + "=true");
    }

    @Test
    void theDiffCallsARemovedOrChangedSignatureIncompatibleAndAnAdditionNot() {
        String type = "dev.homeroom.spi.X public abstract interface @API(STABLE)";
        Diff changed = Diff.of(List.of(type, "dev.homeroom.spi.X method public abstract java.lang.String name()"),
                List.of(type, "dev.homeroom.spi.X method public abstract java.lang.String name(int)"));
        assertThat(changed.incompatible()).isTrue();
        assertThat(changed.render()).contains("- dev.homeroom.spi.X method public abstract java.lang.String name()")
                .contains("+ dev.homeroom.spi.X method public abstract java.lang.String name(int)");

        Diff added = Diff.of(List.of(type), List.of(type, "dev.homeroom.spi.X method public default java.util.List hooks()"));
        assertThat(added.incompatible()).isFalse();
        Diff abstractAdded = Diff.of(List.of(type), List.of(type, "dev.homeroom.spi.X method public abstract int size()"));
        assertThat(abstractAdded.incompatible()).as("implementations break").isTrue();
        Diff newInterface = Diff.of(List.of(type), List.of(type, "dev.homeroom.spi.Y public abstract interface @API(EXPERIMENTAL)",
                "dev.homeroom.spi.Y method public abstract int size()"));
        assertThat(newInterface.incompatible()).as("a new interface has no implementations to break").isFalse();
    }

    @Test
    void aChangeIsAcceptedOnlyWithTheVersionBumpItNeeds() {
        assertThat(covers("1.1", "1.1", false)).as("an addition without a bump").isFalse();
        assertThat(covers("1.1", "1.2", false)).as("an addition, next minor").isTrue();
        assertThat(covers("1.1", "2.0", false)).as("an addition under a new major").isFalse();
        assertThat(covers("1.1", "1.2", true)).as("a removal with only a minor bump").isFalse();
        assertThat(covers("1.1", "2.0", true)).as("a removal, next major").isTrue();
        assertThat(covers("1.1", "1.0", false)).as("going back").isFalse();
    }

    /**
     * Whether moving from the baseline's SPI version to {@code running} says what the change is: a new major for an
     * incompatible one, a newer minor of the same major for additions.
     */
    static boolean covers(String baselineVersion, String running, boolean incompatible) {
        return incompatible ? SpiVersion.major(running) > SpiVersion.major(baselineVersion)
                : !running.equals(baselineVersion) && SpiVersion.isCompatible(baselineVersion, running);
    }

    /** What a partner can see of one scan: sorted lines "TYPE KIND SIGNATURE". */
    static List<String> signatures() {
        TreeSet<String> lines = new TreeSet<>();
        for (Class<?> type : publicTypes()) {
            API api = type.getAnnotation(API.class);
            StringBuilder head = new StringBuilder(type.getName()).append(' ').append(type.toGenericString()
                    .replace(" " + type.getName(), "").replace(type.getName(), "").strip());
            if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && type.getSuperclass() != Record.class
                    && type.getSuperclass() != Enum.class) {
                head.append(" extends ").append(type.getGenericSuperclass().getTypeName());
            }
            if (type.getGenericInterfaces().length > 0) {
                head.append(type.isInterface() ? " extends " : " implements ").append(Arrays.stream(type.getGenericInterfaces())
                        .map(java.lang.reflect.Type::getTypeName).sorted().collect(Collectors.joining(", ")));
            }
            if (type.isSealed()) {
                head.append(" sealed permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName).sorted()
                        .collect(Collectors.joining(", ")));
            }
            head.append(" @API(").append(api == null ? "none" : api.status()).append(')');
            lines.add(head.toString());
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c) && !c.isSynthetic()) {
                    lines.add(type.getName() + " constructor " + strip(c.toGenericString(), type));
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                    lines.add(type.getName() + " method " + strip(m.toGenericString(), type));
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f) && !f.isSynthetic()) {
                    lines.add(type.getName() + " field " + strip(f.toGenericString(), type));
                }
            }
        }
        return List.copyOf(lines);
    }

    private static boolean visible(Member m) {
        int mod = m.getModifiers();
        return Modifier.isPublic(mod) || Modifier.isProtected(mod) && !Modifier.isFinal(m.getDeclaringClass().getModifiers());
    }

    /** {@code public java.lang.String dev.homeroom.spi.X.name()} → {@code public java.lang.String name()}. */
    private static String strip(String signature, Class<?> type) {
        return signature.replace(type.getName() + ".", "");
    }

    private static List<Class<?>> publicTypes() {
        List<Class<?>> types = new ArrayList<>();
        for (String name : classNames()) {
            try {
                Class<?> c = Class.forName(name, false, SpiSignatureTest.class.getClassLoader());
                if (isVisible(c)) {
                    types.add(c);
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("listed but not loadable: " + name, e);
            }
        }
        return types;
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> t = c; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    /** The classes of the SPI package in the directory or jar {@link DistrictPlugin} was loaded from. */
    private static List<String> classNames() {
        try {
            Path root = Path.of(DistrictPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String dir = PACKAGE.replace('.', '/') + "/";
            List<String> entries = new ArrayList<>();
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.list(root.resolve(dir))) {
                    files.map(p -> dir + p.getFileName()).forEach(entries::add);
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.startsWith(dir) && n.indexOf('/', dir.length()) < 0) {
                            entries.add(n);
                        }
                    }
                }
            }
            return entries.stream().filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the SPI's classes", e);
        }
    }

    /** Lines gone from the baseline and lines new in the scan. */
    record Diff(List<String> removed, List<String> added, java.util.Set<String> typesBefore) {
        static Diff of(List<String> before, List<String> now) {
            return new Diff(before.stream().filter(l -> !now.contains(l)).toList(), now.stream().filter(l -> !before.contains(l)).toList(),
                    before.stream().map(l -> l.split(" ", 2)[0]).collect(Collectors.toSet()));
        }

        boolean isEmpty() {
            return removed.isEmpty() && added.isEmpty();
        }

        /**
         * Something gone or changed breaks callers; a new abstract method of an interface that existed breaks its
         * implementations (a new interface's abstract methods break nobody).
         */
        boolean incompatible() {
            return !removed.isEmpty() || added.stream().anyMatch(l -> l.contains(" method ") && l.contains(" abstract ")
                    && !l.contains(" static ") && !l.contains(" default ") && typesBefore.contains(l.split(" ", 2)[0]));
        }

        String render() {
            StringBuilder out = new StringBuilder();
            removed.forEach(l -> out.append("  - ").append(l).append('\n'));
            added.forEach(l -> out.append("  + ").append(l).append('\n'));
            return out.toString().stripTrailing();
        }
    }
}
