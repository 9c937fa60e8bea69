package dev.homeroom.spi;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A district-specific extension, shipped as a jar and found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.homeroom.spi.DistrictPlugin}. Everything but the name and SPI version is optional.
 * The engine refuses a plugin whose {@link #spiVersion()} it cannot run ({@link SpiVersion#isCompatible}), logs why,
 * and carries on with the others. Methods added in a later minor SPI version are default methods that do nothing, so a
 * plugin built for an earlier one keeps working.
 */
@API(status = API.Status.STABLE)
public interface DistrictPlugin {
    /** A short stable name, used in logs, reports and rule file names. */
    String name();

    /** The SPI this plugin was built against: return {@link SpiVersion#CURRENT}. */
    String spiVersion();

    /**
     * The plugin's own version, for logs and reports; by default the {@code Implementation-Version} of its jar's
     * manifest, else {@code unversioned}.
     *
     * @since SPI 1.1
     */
    default String version() {
        Package p = getClass().getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null || v.isBlank() ? "unversioned" : v;
    }

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

    /**
     * Listeners that hear about runs of this plugin's districts only (for the plugin's own audit); asked once per run.
     *
     * @since SPI 1.1
     */
    default List<RunListener> runListeners() {
        return List.of();
    }

    /**
     * The district's own fillers for fields its SIS leaves empty (see {@link FillerProvider}); asked once per run.
     *
     * @since SPI 1.2
     */
    default List<FillerProvider> fillerProviders() {
        return List.of();
    }

    /**
     * Data Clever does not carry, from the plugin's own sources (see {@link SupplementalSource}); asked once per run.
     *
     * @since SPI 1.2
     */
    default List<SupplementalSource> supplementalSources() {
        return List.of();
    }
}
