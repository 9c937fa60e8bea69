package dev.homeroom.engine.internal;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.SpiVersion;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The district plugins this engine runs: found by {@link ServiceLoader} on the host's class path and in the jars of a
 * plugin directory, plus any the host passed in. A plugin that fails to load, or was built for an SPI this engine cannot
 * run, is refused with a logged reason and the others carry on (like JDBC drivers).
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);

    private final List<DistrictPlugin> plugins;
    private final List<String> refused;
    private final URLClassLoader directoryLoader;

    private PluginRegistry(List<DistrictPlugin> plugins, List<String> refused, URLClassLoader directoryLoader) {
        this.plugins = List.copyOf(plugins);
        this.refused = new java.util.concurrent.CopyOnWriteArrayList<>(refused);
        this.directoryLoader = directoryLoader;
    }

    public static PluginRegistry load(EngineSettings settings) {
        Map<String, DistrictPlugin> found = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        Map<String, Map<String, String>> pluginSettings = settings.pluginSettings();
        for (DistrictPlugin p : settings.plugins()) {
            accept(p, "host", pluginSettings, found, refused);
        }
        ClassLoader parent = PluginRegistry.class.getClassLoader();
        if (settings.discoverPlugins()) {
            discover(parent, null, "class path", pluginSettings, found, refused);
        }
        URLClassLoader directoryLoader = null;
        if (settings.pluginDirectory() != null) {
            directoryLoader = new URLClassLoader(jars(settings.pluginDirectory()), parent);
            // ServiceLoader also reads the parent's service files: take only the providers the directory's jars define
            discover(directoryLoader, directoryLoader, settings.pluginDirectory().toString(), pluginSettings, found, refused);
        }
        return new PluginRegistry(new ArrayList<>(found.values()), refused, directoryLoader);
    }

    private static URL[] jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("HR-CONFIG-010", "plugin directory not found: " + dir + " (check --plugins)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
            return urls;
        } catch (MalformedURLException e) {
            throw new ConfigurationException("HR-CONFIG-011", "bad plugin jar path in " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConfigurationException("HR-CONFIG-011", "cannot list plugin directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void discover(ClassLoader loader, ClassLoader onlyFrom, String where, Map<String, Map<String, String>> pluginSettings,
                                 Map<String, DistrictPlugin> found, List<String> refused) {
        ServiceLoader<DistrictPlugin> services = ServiceLoader.load(DistrictPlugin.class, loader);
        var it = services.stream().iterator();
        while (true) {
            ServiceLoader.Provider<DistrictPlugin> provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                refuse(refused, "HR-PLUGIN-003 a plugin listed in " + where + " cannot be loaded: " + e.getMessage());
                continue;
            }
            if (onlyFrom != null && provider.type().getClassLoader() != onlyFrom) {
                continue;
            }
            try {
                accept(provider.get(), where, pluginSettings, found, refused);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                refuse(refused, "HR-PLUGIN-003 plugin " + provider.type().getName() + " from " + where + " failed to start: " + e);
            }
        }
    }

    private static void accept(DistrictPlugin plugin, String where, Map<String, Map<String, String>> pluginSettings,
                               Map<String, DistrictPlugin> found, List<String> refused) {
        String name;
        String version;
        try {
            name = plugin.name();
            version = plugin.spiVersion();
        } catch (RuntimeException e) {
            refuse(refused, "HR-PLUGIN-003 plugin " + plugin.getClass().getName() + " from " + where + " failed to describe itself: " + e);
            return;
        }
        if (!SpiVersion.isCompatible(version)) {
            refuse(refused, "HR-PLUGIN-002 plugin '" + name + "' was built for SPI " + version + " but this engine runs SPI "
                    + SpiVersion.CURRENT + ": not loaded; rebuild it against engine-spi " + SpiVersion.CURRENT);
            return;
        }
        if (found.containsKey(name)) {
            log.warn("HR-PLUGIN-007 a second plugin named '{}' ({} from {}) was ignored; the first one found is used", name,
                    plugin.getClass().getName(), where);
            return;
        }
        Map<String, String> own = Map.copyOf(pluginSettings.getOrDefault(name, Map.of()));
        try {
            plugin.configure(new PluginContext() {
                @Override
                public Map<String, String> settings() {
                    return own;
                }
            });
        } catch (RuntimeException e) {
            refuse(refused, "HR-PLUGIN-003 plugin '" + name + "' failed to configure: " + e);
            return;
        }
        found.put(name, plugin);
        log.info("HR-PLUGIN-001 plugin '{}' loaded from {} (SPI {})", name, where, version);
    }

    /** Refuses a plugin after loading, e.g. when its rule files do not compile; the others carry on. */
    public void refuseLater(String message) {
        refuse(refused, message);
    }

    @Override
    public void close() {
        if (directoryLoader != null) {
            try {
                directoryLoader.close();
            } catch (IOException e) {
                log.debug("closing the plugin class loader: {}", e.toString());
            }
        }
    }

    private static void refuse(List<String> refused, String message) {
        refused.add(message);
        log.warn(message);
    }

    public List<DistrictPlugin> all() {
        return plugins;
    }

    /** Messages for plugins that were not loaded. */
    public List<String> refused() {
        return refused;
    }

    /** The plugins that take part in syncing a district; a plugin whose {@code appliesTo} throws is left out, logged. */
    public List<DistrictPlugin> forDistrict(String districtId) {
        List<DistrictPlugin> applies = new ArrayList<>();
        for (DistrictPlugin p : plugins) {
            try {
                if (p.appliesTo(districtId)) {
                    applies.add(p);
                }
            } catch (RuntimeException e) {
                log.warn("HR-PLUGIN-004 plugin '{}' failed to say whether it applies to district {}: {}", p.name(), districtId, e.toString());
            }
        }
        return applies;
    }
}
