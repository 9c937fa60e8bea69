package dev.homeroom.spi;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What the engine tells a plugin: once when it loads it ({@link DistrictPlugin#configure}) and for each run of one of its
 * districts ({@link RunListener}). Grows by default methods only, so a plugin built against an older SPI keeps working
 * and a test can implement just what it needs ({@code new PluginContext() { }}).
 */
@API(status = API.Status.STABLE)
public interface PluginContext {
    /** The SPI version of the running engine. */
    default String spiVersion() {
        return SpiVersion.running();
    }

    /** Settings the host passed for this plugin ({@code plugin.<name>.*}), without the prefix. */
    default Map<String, String> settings() {
        return Map.of();
    }

    /**
     * The Clever id of the district this context is for: present in the context a {@link RunListener} gets, empty in
     * the one {@link DistrictPlugin#configure} gets (a plugin is loaded once for every district).
     *
     * @since SPI 1.1
     */
    default Optional<String> districtId() {
        return Optional.empty();
    }

    /**
     * The clock the plugin should read "now" from (the engine's; a test may fix it).
     *
     * @since SPI 1.1
     */
    default Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * A logger named after the plugin ({@code homeroom.plugin.<name>}), writing where the host's logs go. The JDK's
     * {@link System.Logger}, so a plugin needs no logging library of its own.
     *
     * @since SPI 1.1
     */
    default System.Logger logger() {
        return System.getLogger("homeroom.plugin");
    }
}
