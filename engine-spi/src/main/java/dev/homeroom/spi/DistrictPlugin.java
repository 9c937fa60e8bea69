package dev.homeroom.spi;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A district-specific extension, shipped as a jar and found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.homeroom.spi.DistrictPlugin}. Everything but the name and SPI version is optional.
 * The engine refuses a plugin whose {@link #spiVersion()} it cannot run, logs why, and carries on with the others.
 */
@API(status = API.Status.STABLE)
public interface DistrictPlugin {
    /** A short stable name, used in logs, reports and rule file names. */
    String name();

    /** The SPI this plugin was built against: return {@link SpiVersion#CURRENT}. */
    String spiVersion();

    /** Whether this plugin takes part in syncing the given Clever district (like JDBC's {@code acceptsURL}). */
    default boolean appliesTo(String districtId) {
        return true;
    }

    /** Called once when the plugin is loaded. */
    default void configure(PluginContext context) {}

    /** Transformers run on every fetched record of the districts this plugin applies to. */
    default List<RecordTransformer> recordTransformers() {
        return List.of();
    }

    /** Extra DRL files, compiled with the default rules for the districts this plugin applies to. */
    default List<RuleFile> ruleFiles() {
        return List.of();
    }

    /** Policy values that replace the policies file's for this plugin's districts. */
    default Map<String, String> policyOverrides() {
        return Map.of();
    }
}
