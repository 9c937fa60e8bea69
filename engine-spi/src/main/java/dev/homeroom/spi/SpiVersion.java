package dev.homeroom.spi;

import org.apiguardian.api.API;

/**
 * The version of this SPI. A plugin returns {@link #CURRENT} from {@link DistrictPlugin#spiVersion()}; being a
 * compile-time constant, it is copied into the plugin's class file, so it records the SPI the plugin was built against.
 */
@API(status = API.Status.STABLE)
public final class SpiVersion {
    /** MAJOR.MINOR: a major change breaks plugins; a minor one only adds default methods. */
    public static final String CURRENT = "1.0";

    private SpiVersion() {}

    /** A plugin built for {@code pluginVersion} runs here when the major versions match and its minor is not newer. */
    public static boolean isCompatible(String pluginVersion) {
        int[] plugin = parse(pluginVersion);
        int[] engine = parse(CURRENT);
        return plugin != null && plugin[0] == engine[0] && plugin[1] <= engine[1];
    }

    private static int[] parse(String version) {
        if (version == null) {
            return null;
        }
        String[] parts = version.strip().split("\\.");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
