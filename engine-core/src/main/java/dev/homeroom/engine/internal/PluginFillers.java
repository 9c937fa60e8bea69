package dev.homeroom.engine.internal;

import dev.homeroom.engine.PluginException;
import dev.homeroom.rules.Decisions;
import dev.homeroom.spi.CleverRecord;
import dev.homeroom.spi.DataWarning;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.FillerProvider;
import dev.homeroom.spi.Filler;
import dev.homeroom.spi.MissingField;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The filler providers of the plugins taking part in one run (SPI 1.2): after the rules decided a batch, each provider is
 * asked for the records of its kind that miss its field, and the value it gives becomes the field's filler in place of
 * a default one. Costs nothing in a run whose plugins have none.
 */
final class PluginFillers {
    /** What explain and the decision lines name a plugin's filler by. */
    static String ruleId(String plugin, String field) {
        return "plugin:" + plugin + "/filler:" + field;
    }

    private record Entry(String plugin, FillerProvider provider) {}

    private final Map<RecordKind, List<Entry>> byKind;

    private PluginFillers(Map<RecordKind, List<Entry>> byKind) {
        this.byKind = byKind;
    }

    static PluginFillers none() {
        return new PluginFillers(Map.of());
    }

    /** The providers of these plugins, as they list them now. */
    static PluginFillers of(List<DistrictPlugin> plugins) {
        Map<RecordKind, List<Entry>> byKind = new HashMap<>();
        for (DistrictPlugin p : plugins) {
            for (FillerProvider f : providers(p)) {
                byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(new Entry(p.name(), f));
            }
        }
        return new PluginFillers(byKind);
    }

    /**
     * A plugin's providers, checked: each fills a field Homeroom knows of a kind it supports.
     *
     * @throws PluginException HR-PLUGIN-013 naming the plugin and what to change
     */
    static List<FillerProvider> providers(DistrictPlugin p) {
        List<FillerProvider> listed;
        try {
            listed = List.copyOf(p.fillerProviders());
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException("HR-PLUGIN-013", "plugin '" + p.name() + "' failed to list its filler providers: " + e, e);
        }
        for (FillerProvider f : listed) {
            RecordKind kind;
            String field;
            try {
                kind = f.kind();
                field = f.field();
            } catch (RuntimeException e) {
                throw new PluginException("HR-PLUGIN-013", "plugin '" + p.name() + "' has a filler provider that failed to name its field: " + e, e);
            }
            if (kind != RecordKind.USER || !FillerProvider.USER_FIELDS.contains(field)) {
                throw new PluginException("HR-PLUGIN-013", "plugin '" + p.name() + "' has a filler provider for field '" + field + "' of "
                        + (kind == null ? "no kind" : kind.label() + "s") + ", which Homeroom does not fill: use a user field, one of "
                        + FillerProvider.USER_FIELDS, null);
            }
        }
        return listed;
    }

    boolean isEmpty(RecordKind kind) {
        return !byKind.containsKey(kind);
    }

    /**
     * The batch's decisions with the plugins' fillers in: for each record that is not gone and misses a provider's field,
     * the provider's value replaces the default fillers of that field (their warnings name the value used).
     *
     * @param gone         whether a record went away (it is deactivated, not filled)
     * @param supplemental a plugin's supplemental values of a record, by plugin name then Clever id
     */
    Decisions apply(String districtId, RecordKind kind, List<CleverRecord> records, java.util.function.Predicate<String> gone,
                    Decisions decided, Function<String, Map<String, Map<String, String>>> supplemental) {
        List<Entry> entries = byKind.get(kind);
        if (entries == null) {
            return decided;
        }
        Map<String, List<Filler>> defaults = new HashMap<>();
        for (Filler f : decided.fillers()) {
            if (f.kind() == kind) {
                defaults.computeIfAbsent(f.cleverId() + "\u0000" + f.field(), k -> new ArrayList<>()).add(f);
            }
        }
        List<Filler> fillers = new ArrayList<>(decided.fillers());
        List<DataWarning> warnings = new ArrayList<>(decided.warnings());
        boolean changed = false;
        for (CleverRecord record : records) {
            if (gone.test(record.id())) {
                continue;
            }
            for (Entry e : entries) {
                String field = e.provider().field();
                List<Filler> replaced = defaults.getOrDefault(record.id() + "\u0000" + field, List.of());
                if (replaced.isEmpty() && !missing(record, field)) {
                    continue;
                }
                String defaultValue = replaced.isEmpty() ? null : replaced.get(0).value();
                Map<String, String> own = supplemental.apply(e.plugin()).getOrDefault(record.id(), Map.of());
                String rule = ruleId(e.plugin(), field);
                Optional<String> value;
                try {
                    value = e.provider().fill(new MissingField(districtId, record, field, defaultValue, own));
                } catch (RuntimeException ex) {
                    warnings.add(new DataWarning(kind, record.id(), "PLUGIN_FAILED", field, "plugin '" + e.plugin()
                            + "' failed to give a filler for " + field + " (" + ex + "); the default filler stands", rule));
                    changed = true;
                    continue;
                }
                if (value == null || value.isEmpty() || value.get().isBlank()) {
                    continue;
                }
                String filler = value.get();
                fillers.removeAll(replaced);
                for (int i = 0; i < warnings.size(); i++) {
                    DataWarning w = warnings.get(i);
                    if (defaultValue != null && w.kind() == kind && w.cleverId().equals(record.id()) && field.equals(w.field())
                            && replaced.stream().anyMatch(r -> r.ruleId().equals(w.ruleId()))) {
                        warnings.set(i, new DataWarning(w.kind(), w.cleverId(), w.code(), w.field(),
                                w.message().replace(defaultValue, filler + " (plugin " + e.plugin() + ")"), w.ruleId()));
                    }
                }
                fillers.add(new Filler(kind, record.id(), field, filler, rule, reason(e)));
                defaults.put(record.id() + "\u0000" + field, List.of(fillers.get(fillers.size() - 1)));
                changed = true;
            }
        }
        return changed ? new Decisions(decided.decisions(), decided.roles(), fillers, decided.cleanedValues(), warnings, decided.flags())
                : decided;
    }

    private static String reason(Entry e) {
        try {
            String r = e.provider().reason();
            return (r == null || r.isBlank() ? "the district's own filler" : r) + " (plugin " + e.plugin() + ")";
        } catch (RuntimeException ex) {
            return "the district's own filler (plugin " + e.plugin() + ")";
        }
    }

    /** Whether Clever's record (after the transformers) lacks the field. */
    static boolean missing(CleverRecord record, String field) {
        if (!(record instanceof User u)) {
            return false;
        }
        User.Student s = u.roles().student();
        return switch (field) {
            case "dob" -> s != null && s.dobDate().isEmpty();
            case "graduation_year" -> s != null && blank(s.graduationYear());
            case "grade" -> s != null && blank(s.grade());
            case "email" -> blank(u.email());
            case "sis_id" -> ShadowMapper.userSisId(u) == null;
            case "name.first" -> u.name() == null || blank(u.name().first());
            case "name.middle" -> u.name() == null || blank(u.name().middle());
            case "name.last" -> u.name() == null || blank(u.name().last());
            default -> false;
        };
    }

    private static boolean blank(String v) {
        return v == null || v.isBlank();
    }
}
