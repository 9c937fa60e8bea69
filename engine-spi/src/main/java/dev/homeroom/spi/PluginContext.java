package dev.homeroom.spi;

import java.util.Map;
import org.apiguardian.api.API;

/** What the engine tells a plugin when it loads it. Grows by default methods only. */
@API(status = API.Status.STABLE)
public interface PluginContext {
    /** The SPI version of the running engine. */
    default String spiVersion() {
        return SpiVersion.CURRENT;
    }

    /** Settings the host passed for this plugin ({@code plugin.<name>.*}), without the prefix. */
    default Map<String, String> settings() {
        return Map.of();
    }
}
