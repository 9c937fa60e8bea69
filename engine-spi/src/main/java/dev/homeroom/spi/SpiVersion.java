package dev.homeroom.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apiguardian.api.API;

/**
 * The version of this SPI, {@code MAJOR.MINOR}. A plugin returns {@link #CURRENT} from {@link DistrictPlugin#spiVersion()};
 * being a compile-time constant, it is copied into the plugin's class file, so it records the SPI the plugin was built
 * against. The engine compares it with {@link #running()}, the version the {@code engine-spi} jar on the engine's class
 * path declares in its resource {@code dev/homeroom/spi/spi-version.properties} (written by the build).
 *
 * <p>A minor version only adds (default methods, new types); a major one may remove or change. A plugin built for
 * {@code 1.2} runs on {@code 1.2} and {@code 1.3}, not on {@code 1.1} (it may call what 1.1 lacks) and not on {@code 2.0}.
 */
@API(status = API.Status.STABLE)
public final class SpiVersion {
    /** The SPI this code was compiled as; equal to {@link #running()} in a jar the build made. */
    public static final String CURRENT = "1.2";

    private static final String RESOURCE = "/dev/homeroom/spi/spi-version.properties";
    private static final Properties BUILT = read();

    private SpiVersion() {}

    /** The SPI version of the engine-spi jar this code was loaded from, read from its resource. */
    public static String running() {
        String v = BUILT.getProperty("spi.version");
        return v == null || v.startsWith("$") ? CURRENT : v.strip(); // unfiltered (an IDE build): the compiled constant
    }

    /** The Maven version of the engine-spi jar this code was loaded from, or {@code unknown}. */
    public static String artifactVersion() {
        String v = BUILT.getProperty("artifact.version");
        return v == null || v.startsWith("$") ? "unknown" : v.strip();
    }

    /** Whether a plugin built for {@code pluginVersion} runs on the SPI this engine runs ({@link #running()}). */
    public static boolean isCompatible(String pluginVersion) {
        return isCompatible(pluginVersion, running());
    }

    /**
     * Whether a plugin built for {@code pluginVersion} runs on an engine with SPI {@code engineVersion}: the majors are
     * equal and the plugin's minor is not newer. A version that is not {@code MAJOR.MINOR} is never compatible.
     */
    public static boolean isCompatible(String pluginVersion, String engineVersion) {
        int[] plugin = parse(pluginVersion);
        int[] engine = parse(engineVersion);
        return plugin != null && engine != null && plugin[0] == engine[0] && plugin[1] <= engine[1];
    }

    /** Whether {@code version} reads as {@code MAJOR.MINOR} (or {@code MAJOR}, taken as {@code MAJOR.0}; a patch part is ignored). */
    public static boolean isWellFormed(String version) {
        return parse(version) != null;
    }

    /** The major part of a well-formed version, or -1. */
    public static int major(String version) {
        int[] v = parse(version);
        return v == null ? -1 : v[0];
    }

    private static int[] parse(String version) {
        if (version == null) {
            return null;
        }
        String[] parts = version.strip().split("\\.");
        if (parts.length > 3) {
            return null;
        }
        try {
            if (parts.length == 3) {
                Integer.parseInt(parts[2]); // a patch part is allowed and ignored
            }
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major < 0 || minor < 0 ? null : new int[] {major, minor};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Properties read() {
        Properties p = new Properties();
        try (InputStream in = SpiVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource is treated like a missing one: the compiled constant stands
        }
        return p;
    }
}
