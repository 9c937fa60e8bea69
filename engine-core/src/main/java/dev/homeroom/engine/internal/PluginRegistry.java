package dev.homeroom.engine.internal;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.PluginException;
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
 * plugin directory, plus any the host passed in. A plugin that fails to load, was built for an SPI this engine cannot
 * run, or sits in a jar that cannot be read, is refused with a logged reason and the others carry on (like JDBC
 * drivers). A district that a refused plugin claims (its {@code appliesTo} says so, or the host's
 * {@code districts} setting for it lists the district) is not synced without it: {@link #forDistrict} refuses it.
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);

    /** The host setting that names the districts a plugin is for (comma-separated Clever district ids). */
    public static final String DISTRICTS_SETTING = "districts";

    /** A plugin this engine will not run: its code, the message, and what is known of it (name and object may be null). */
    private record Refusal(String code, String message, String name, DistrictPlugin plugin) {}

    /** A plugin this engine runs: its name, its own version, the SPI it was built for and where it came from. */
    record Loaded(String name, String version, String spiVersion, String source, DistrictPlugin plugin) {
        String line() {
            return name + " " + version + " (SPI " + spiVersion + ") from " + source;
        }
    }

    private final List<DistrictPlugin> plugins;
    private final List<Loaded> loaded;
    private final List<Refusal> refused;
    private final Map<String, Map<String, String>> pluginSettings;
    private final URLClassLoader directoryLoader;
    private final PluginListeners pluginListeners = new PluginListeners(this);

    private PluginRegistry(List<Loaded> loaded, List<Refusal> refused, Map<String, Map<String, String>> pluginSettings,
                           URLClassLoader directoryLoader) {
        this.loaded = List.copyOf(loaded);
        this.plugins = loaded.stream().map(Loaded::plugin).toList();
        this.refused = new java.util.concurrent.CopyOnWriteArrayList<>(refused);
        this.pluginSettings = pluginSettings;
        this.directoryLoader = directoryLoader;
    }

    public static PluginRegistry load(EngineSettings settings) {
        Map<String, Loaded> found = new LinkedHashMap<>();
        List<Refusal> refused = new ArrayList<>();
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
            directoryLoader = new URLClassLoader(jars(settings.pluginDirectory(), refused), parent);
            // ServiceLoader also reads the parent's service files: take only the providers the directory's jars define
            discover(directoryLoader, directoryLoader, settings.pluginDirectory().toAbsolutePath().toString(), pluginSettings, found, refused);
        }
        return new PluginRegistry(new ArrayList<>(found.values()), refused, pluginSettings, directoryLoader);
    }

    /** The directory's jars that can be read; one that cannot (not a zip, truncated) is refused, not silently skipped. */
    private static URL[] jars(Path dir, List<Refusal> refused) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("HR-CONFIG-010", "plugin directory not found: " + dir + " (check --plugins)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<URL> urls = new ArrayList<>();
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                String unreadable = unreadable(jar);
                if (unreadable == null) {
                    urls.add(jar.toUri().toURL());
                } else {
                    refuse(refused, new Refusal("HR-PLUGIN-009", "HR-PLUGIN-009 plugin jar " + jar + " cannot be read (" + unreadable
                            + "): refused; replace it with a complete copy", null, null));
                }
            }
            return urls.toArray(URL[]::new);
        } catch (MalformedURLException e) {
            throw new ConfigurationException("HR-CONFIG-011", "bad plugin jar path in " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConfigurationException("HR-CONFIG-011", "cannot list plugin directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Why a jar cannot be read as a zip, or null when it can. */
    private static String unreadable(Path jar) {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            file.getManifest(); // reads the central directory and the manifest entry
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private static void discover(ClassLoader loader, ClassLoader onlyFrom, String where, Map<String, Map<String, String>> pluginSettings,
                                 Map<String, Loaded> found, List<Refusal> refused) {
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
                refuse(refused, new Refusal("HR-PLUGIN-003", "HR-PLUGIN-003 a plugin listed in " + where + " cannot be loaded: "
                        + e.getMessage(), null, null));
                continue;
            }
            if (onlyFrom != null && provider.type().getClassLoader() != onlyFrom) {
                continue;
            }
            try {
                accept(provider.get(), where, pluginSettings, found, refused);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                refuse(refused, new Refusal("HR-PLUGIN-003", "HR-PLUGIN-003 plugin " + provider.type().getName() + " from "
                        + source(provider.type(), where) + " failed to start: " + e, null, null));
            }
        }
    }

    private static void accept(DistrictPlugin plugin, String where, Map<String, Map<String, String>> pluginSettings,
                               Map<String, Loaded> found, List<Refusal> refused) {
        String source = source(plugin.getClass(), where);
        String name;
        String spi;
        String version;
        try {
            name = plugin.name();
            spi = plugin.spiVersion();
            version = plugin.version();
        } catch (RuntimeException | LinkageError e) {
            refuse(refused, new Refusal("HR-PLUGIN-003", "HR-PLUGIN-003 plugin " + plugin.getClass().getName() + " from " + source
                    + " failed to describe itself: " + e, null, null));
            return;
        }
        String running = SpiVersion.running();
        String what = "plugin '" + name + "' " + version + " from " + source;
        if (!SpiVersion.isWellFormed(spi)) {
            refuse(refused, new Refusal("HR-PLUGIN-011", "HR-PLUGIN-011 " + what + " declares SPI version '" + spi
                    + "', which is not MAJOR.MINOR: not loaded; return SpiVersion.CURRENT from spiVersion()", name, plugin));
            return;
        }
        if (SpiVersion.major(spi) != SpiVersion.major(running)) {
            refuse(refused, new Refusal("HR-PLUGIN-002", "HR-PLUGIN-002 " + what + " was built for SPI " + spi
                    + " but this engine runs SPI " + running + ": not loaded; rebuild it against engine-spi " + running, name, plugin));
            return;
        }
        if (!SpiVersion.isCompatible(spi, running)) {
            refuse(refused, new Refusal("HR-PLUGIN-010", "HR-PLUGIN-010 " + what + " needs SPI " + spi + ", newer than this engine's SPI "
                    + running + ": not loaded; upgrade the engine, or use a build of the plugin for SPI " + running, name, plugin));
            return;
        }
        if (found.containsKey(name)) {
            log.warn("HR-PLUGIN-007 a second plugin named '{}' ({} from {}) was ignored; the first one found is used", name,
                    plugin.getClass().getName(), source);
            return;
        }
        Map<String, String> own = Map.copyOf(pluginSettings.getOrDefault(name, Map.of()));
        try {
            plugin.configure(new EnginePluginContext(name, own, null));
        } catch (RuntimeException | LinkageError e) {
            refuse(refused, new Refusal("HR-PLUGIN-003", "HR-PLUGIN-003 " + what + " failed to configure: " + e, name, plugin));
            return;
        }
        try {
            PluginFillers.providers(plugin); // a filler for a field Homeroom does not fill is bad configuration: said now
            PluginSupplemental.of(List.of(plugin)); // and so is a source without a name, or two of one name
        } catch (PluginException e) {
            refuse(refused, new Refusal(e.code(), e.code() + " " + e.getMessage() + ": not loaded", name, plugin));
            return;
        }
        Loaded l = new Loaded(name, version, spi, source, plugin);
        found.put(name, l);
        log.info("HR-PLUGIN-001 plugin loaded: {}", l.line());
    }

    /** Where a plugin's class came from: the jar (or directory) on its code source, after how it was found. */
    private static String source(Class<?> type, String where) {
        String location = null;
        try {
            var codeSource = type.getProtectionDomain().getCodeSource();
            if (codeSource != null && codeSource.getLocation() != null) {
                location = Path.of(codeSource.getLocation().toURI()).toString();
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            location = null;
        }
        if (location == null) {
            return where;
        }
        return where.equals(location) || location.startsWith(where) ? location : where + " " + location;
    }

    /**
     * Records that a loaded plugin was refused later, e.g. because its rule files do not compile; said once however often
     * it happens. The caller stops whatever needed the plugin.
     */
    public void refuseLater(String message) {
        if (refused.stream().noneMatch(r -> r.message().equals(message))) {
            refuse(refused, new Refusal(message.split(" ", 2)[0], message, null, null));
        }
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

    private static void refuse(List<Refusal> refused, Refusal refusal) {
        refused.add(refusal);
        log.warn(refusal.message());
    }

    public List<DistrictPlugin> all() {
        return plugins;
    }

    /** One line for each plugin this engine runs, in the order found: name, version, SPI version and jar. */
    public List<String> loaded() {
        return loaded.stream().map(Loaded::line).toList();
    }

    /**
     * The engine's settings with one more listener, which tells each plugin's {@link dev.homeroom.spi.RunListener}s about
     * the runs of the districts it applies to (and no others).
     */
    public EngineSettings withPluginListeners(EngineSettings s) {
        if (plugins.isEmpty()) {
            return s;
        }
        List<dev.homeroom.engine.SyncListener> listeners = new ArrayList<>(s.listeners());
        listeners.add(pluginListeners);
        return s.withListeners(listeners);
    }

    /** The one engine listener that passes runs on to the plugins' run listeners (also each batch's decisions). */
    PluginListeners pluginListeners() {
        return pluginListeners;
    }

    /** The context a plugin gets for a run of one of its districts. */
    dev.homeroom.spi.PluginContext contextFor(DistrictPlugin plugin, String districtId) {
        String name = plugin.name();
        return new EnginePluginContext(name, Map.copyOf(pluginSettings.getOrDefault(name, Map.of())), districtId);
    }

    /** One message for each plugin this engine refused, in the order it refused them. */
    public List<String> refused() {
        return refused.stream().map(Refusal::message).toList();
    }

    /**
     * The plugins that take part in syncing a district; a plugin whose {@code appliesTo} throws is left out, logged.
     *
     * @throws PluginException when a refused plugin claims the district: it is not synced without that plugin
     */
    public List<DistrictPlugin> forDistrict(String districtId) {
        for (Refusal r : refused) {
            if (claims(r, districtId)) {
                throw new PluginException(r.code(), r.message() + "; it applies to district " + districtId
                        + ", which is not synced without it: fix the plugin, or remove it or its district setting", null);
            }
        }
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

    private boolean claims(Refusal r, String districtId) {
        if (r.name() != null) {
            String listed = pluginSettings.getOrDefault(r.name(), Map.of()).getOrDefault(DISTRICTS_SETTING, "");
            if (java.util.Arrays.stream(listed.split(",")).map(String::strip).anyMatch(districtId::equals)) {
                return true;
            }
        }
        if (r.plugin() == null) {
            return false;
        }
        try {
            return r.plugin().appliesTo(districtId);
        } catch (RuntimeException | LinkageError e) {
            log.warn("HR-PLUGIN-004 refused plugin '{}' failed to say whether it applies to district {} ({}): taken as applying",
                    r.name(), districtId, e.toString());
            return true;
        }
    }
}
