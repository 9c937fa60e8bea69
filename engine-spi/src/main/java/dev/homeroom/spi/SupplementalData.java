package dev.homeroom.spi;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A fact: one supplemental row joined to a record, e.g. a user's license codes. Rules match it beside the record's fact:
 * {@code $u : UserFact() SupplementalData(cleverId == $u.id(), source == "licenses", has("license_code"))}.
 *
 * @param plugin   the plugin whose source it came from
 * @param source   the source's {@link SupplementalSource#name()}
 * @param key      the row's key (the SIS id or Clever id it was joined by)
 * @param values   the row's values by name
 * @since SPI 1.2
 */
@API(status = API.Status.EXPERIMENTAL)
public record SupplementalData(String plugin, String source, RecordKind kind, String cleverId, String key, Map<String, String> values) {
    public SupplementalData {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(cleverId, "cleverId");
        values = Immutables.map(values);
    }

    /** A value by name, or null. */
    public String get(String name) {
        return values.get(name);
    }

    /** Whether the row has a non-blank value of this name. */
    public boolean has(String name) {
        String v = values.get(name);
        return v != null && !v.isBlank();
    }
}
