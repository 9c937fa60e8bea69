package dev.homeroom.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.PluginException;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.SupplementalData;
import dev.homeroom.spi.SupplementalRows;
import dev.homeroom.spi.SupplementalSource;
import dev.homeroom.store.StoreSession;
import dev.homeroom.store.SupplementalStore;
import dev.homeroom.store.WarningRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The supplemental sources of the plugins taking part in one run (SPI 1.2): each is read once, its rows streamed into
 * the store, and the rows joined to the users of each decide batch become {@link SupplementalData} facts, the plugins'
 * fillers' inputs, the accounts' {@code supplemental} column and lines of {@code explain}. Costs nothing in a run whose
 * plugins have no source.
 */
final class PluginSupplemental {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> VALUES = new TypeReference<>() {};

    /** What explain, warnings and decision lines name a plugin's source by. */
    static String ruleId(String plugin, String source) {
        return "plugin:" + plugin + "/supplemental:" + source;
    }

    private record Source(DistrictPlugin plugin, SupplementalSource source, String name, String joinBy) {}

    private final List<Source> sources;
    private final Set<String> plugins;

    private PluginSupplemental(List<Source> sources) {
        this.sources = sources;
        this.plugins = new HashSet<>();
        sources.forEach(s -> plugins.add(s.plugin().name()));
    }

    /**
     * The sources of these plugins, as they list them now.
     *
     * @throws PluginException HR-PLUGIN-014 when a plugin fails to list them or names one twice or not at all
     */
    static PluginSupplemental of(List<DistrictPlugin> active) {
        List<Source> out = new ArrayList<>();
        for (DistrictPlugin p : active) {
            Set<String> names = new HashSet<>();
            for (SupplementalSource s : sources(p)) {
                String name;
                SupplementalSource.JoinKey by;
                try {
                    name = s.name();
                    by = s.joinKey();
                } catch (RuntimeException e) {
                    throw new PluginException("HR-PLUGIN-014", "plugin '" + p.name() + "' has a supplemental source that failed to name itself: " + e, e);
                }
                if (name == null || !name.matches("[A-Za-z0-9_.-]{1,100}") || !names.add(name) || by == null) {
                    throw new PluginException("HR-PLUGIN-014", "plugin '" + p.name() + "' has a supplemental source named '" + name
                            + "'" + (by == null ? " with no join key" : "") + ": give each source its own name of letters, digits, '.', '_' or '-'"
                            + " and a join key", null);
                }
                out.add(new Source(p, s, name, by == SupplementalSource.JoinKey.SIS_ID ? SupplementalStore.BY_SIS_ID : SupplementalStore.BY_CLEVER_ID));
            }
        }
        return new PluginSupplemental(out);
    }

    static List<SupplementalSource> sources(DistrictPlugin p) {
        try {
            return List.copyOf(p.supplementalSources());
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException("HR-PLUGIN-014", "plugin '" + p.name() + "' failed to list its supplemental sources: " + e, e);
        }
    }

    boolean isEmpty() {
        return sources.isEmpty();
    }

    /**
     * Reads every source into the store and warns about what did not fit: rows the source could not read, keys it gave
     * twice, keys that match no user. Returns the users whose rows changed when {@code changedUsers}, else null.
     *
     * @throws PluginException HR-PLUGIN-015 when a source cannot be read at all: the run fails, changing nothing
     */
    Set<String> load(StoreSession s, String districtId, String runId, PluginRegistry registry, boolean changedUsers,
                     Consumer<WarningRow> warn) {
        Set<String> changed = changedUsers ? new HashSet<>() : null;
        for (Source src : sources) {
            String plugin = src.plugin().name();
            String rule = ruleId(plugin, src.name());
            String what = "plugin '" + plugin + "' source '" + src.name() + "'";
            SupplementalStore.Load load = s.supplemental().load(districtId, plugin, src.name(), src.joinBy(), runId);
            long[] problems = {0};
            SupplementalRows rows = new SupplementalRows() {
                @Override
                public void row(String key, Map<String, String> values) {
                    if (key == null || key.isBlank() || key.length() > 200) {
                        problem("a row", key == null || key.isBlank() ? "no key (" + src.joinBy() + ")" : "a key over 200 characters");
                        return;
                    }
                    load.add(key.strip(), json(values));
                }

                @Override
                public void problem(String where, String message) {
                    if (++problems[0] <= SupplementalStore.LISTED_KEYS) {
                        warn.accept(new WarningRow(runId, RecordKind.USER, null, "SUPPLEMENTAL_UNREADABLE", src.joinBy(),
                                what + ", " + where + ": " + message + "; the row was left out", rule));
                    }
                }
            };
            try {
                src.source().read(registry.contextFor(src.plugin(), districtId), rows);
            } catch (IOException | RuntimeException e) {
                throw new PluginException("HR-PLUGIN-015", "HR-PLUGIN-015 " + what + " could not be read (" + e.getMessage() + "); nothing was applied:"
                        + " fix the source or the plugin's settings", e);
            }
            SupplementalStore.Result result = load.finish(changedUsers);
            if (problems[0] > SupplementalStore.LISTED_KEYS) {
                warn.accept(new WarningRow(runId, RecordKind.USER, null, "SUPPLEMENTAL_UNREADABLE", src.joinBy(), what + ": "
                        + (problems[0] - SupplementalStore.LISTED_KEYS) + " more rows could not be read", rule));
            }
            for (String key : result.duplicateKeys()) {
                warn.accept(new WarningRow(runId, RecordKind.USER, null, "SUPPLEMENTAL_DUPLICATE", src.joinBy(),
                        what + " has several rows with " + src.joinBy() + " '" + key + "'; the last one is used", rule));
            }
            for (String key : result.unmatchedKeys()) {
                warn.accept(new WarningRow(runId, RecordKind.USER, null, "SUPPLEMENTAL_UNMATCHED", src.joinBy(),
                        what + ": the row with " + src.joinBy() + " '" + key + "' matches no user of the district", rule));
            }
            if (result.unmatched() > result.unmatchedKeys().size()) {
                warn.accept(new WarningRow(runId, RecordKind.USER, null, "SUPPLEMENTAL_UNMATCHED", src.joinBy(), what + ": "
                        + (result.unmatched() - result.unmatchedKeys().size()) + " more rows match no user of the district", rule));
            }
            if (changed != null) {
                changed.addAll(result.changedUsers());
            }
            org.slf4j.LoggerFactory.getLogger(PluginSupplemental.class).info(
                    "HR-PLUGIN-016 {}: {} rows, {} written, {} removed, {} match no user", what, result.rows(), result.written(),
                    result.removed(), result.unmatched());
        }
        return changed;
    }

    /** The rows joined to these users, as facts, by user; only the rows of the plugins taking part in this run. */
    Map<String, List<SupplementalData>> forUsers(StoreSession s, String districtId, Collection<String> userIds) {
        Map<String, List<SupplementalData>> out = new HashMap<>();
        s.supplemental().forUsers(districtId, userIds).forEach((id, joined) -> {
            for (SupplementalStore.Joined j : joined) {
                if (plugins.contains(j.plugin())) {
                    out.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new SupplementalData(j.plugin(), j.source(), RecordKind.USER, id, j.key(), values(j.valuesJson())));
                }
            }
        });
        return out;
    }

    /** A user's rows merged by plugin (a later source's value of the same name wins), as the account column holds them. */
    static Map<String, Map<String, String>> byPlugin(List<SupplementalData> rows) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (SupplementalData d : rows) {
            out.computeIfAbsent(d.plugin(), k -> new TreeMap<>()).putAll(d.values());
        }
        return out;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value instanceof Map<?, ?> m ? sorted(m) : value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write supplemental values as JSON", e);
        }
    }

    private static Map<String, Object> sorted(Map<?, ?> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k != null) {
                out.put(k.toString(), v instanceof Map<?, ?> inner ? sorted(inner) : v);
            }
        });
        return out;
    }

    private static Map<String, String> values(String json) {
        try {
            return JSON.readValue(json, VALUES);
        } catch (JsonProcessingException e) {
            throw new SyncPipeline.JsonFailure("stored supplemental values are not JSON: " + e.getMessage(), e);
        }
    }
}
