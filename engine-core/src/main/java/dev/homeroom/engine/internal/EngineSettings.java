package dev.homeroom.engine.internal;

import dev.homeroom.engine.SyncListener;
import dev.homeroom.spi.DistrictPlugin;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the builder collected, validated. {@code rulesDirectory}, {@code policiesFile} and {@code pluginDirectory}
 * are null when the defaults apply (the rules jar, its policies file, no extra plugin jars). {@code callTimeout} bounds
 * each call to Clever, {@code runTimeout} the fetching of a whole run; {@code allowDistrictChange} lets a token that
 * synced one district sync another.
 */
public record EngineSettings(
        String cleverUrl,
        String token,
        int pageLimit,
        int maxRetries,
        Path rulesDirectory,
        Path policiesFile,
        Path pluginDirectory,
        boolean discoverPlugins,
        List<DistrictPlugin> plugins,
        List<SyncListener> listeners,
        int decideBatchSize,
        Map<String, Map<String, String>> pluginSettings,
        java.time.Duration callTimeout,
        java.time.Duration runTimeout,
        boolean allowDistrictChange) {

    public EngineSettings {
        plugins = List.copyOf(plugins);
        listeners = List.copyOf(listeners);
        pluginSettings = Map.copyOf(pluginSettings);
    }

    /** The same settings with these listeners instead. */
    public EngineSettings withListeners(List<SyncListener> newListeners) {
        return new EngineSettings(cleverUrl, token, pageLimit, maxRetries, rulesDirectory, policiesFile, pluginDirectory,
                discoverPlugins, plugins, newListeners, decideBatchSize, pluginSettings, callTimeout, runTimeout, allowDistrictChange);
    }

    @Override
    public String toString() {
        return "EngineSettings[cleverUrl=" + cleverUrl + ", token=" + (token == null ? "none" : "****")
                + ", rulesDirectory=" + rulesDirectory + ", policiesFile=" + policiesFile + ", pluginDirectory=" + pluginDirectory + "]";
    }
}
