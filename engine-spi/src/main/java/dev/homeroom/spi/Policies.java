package dev.homeroom.spi;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The policy knobs of docs/POLICIES.md as the rules read them ({@code Policies( is("classless.students", "SKIP") )}).
 * Immutable; values are validated when the policies file is loaded, not here.
 */
@API(status = API.Status.STABLE)
public final class Policies {
    private final Map<String, String> values;

    private Policies(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Policies of(Map<String, String> values) {
        return new Policies(values);
    }

    /** The value of a key, or null when the key is not set. */
    public String get(String key) {
        return values.get(key);
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public boolean is(String key, String value) {
        String v = values.get(key);
        return v != null && v.equalsIgnoreCase(value);
    }

    public int getInt(String key, int fallback) {
        String v = values.get(key);
        return v == null ? fallback : Integer.parseInt(v.strip());
    }

    public double getDouble(String key, double fallback) {
        String v = values.get(key);
        return v == null ? fallback : Double.parseDouble(v.strip());
    }

    /** A copy with these keys replaced (a plugin's or a district's overrides). */
    public Policies with(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new Policies(merged);
    }

    /**
     * The policies one district runs with: every {@code district.<districtId>.<key>} value replaces {@code <key>},
     * and no {@code district.*} key is left in the result (so rules never see another district's values).
     */
    public Policies forDistrict(String districtId) {
        String prefix = "district." + districtId + ".";
        Map<String, String> merged = new TreeMap<>();
        Map<String, String> own = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                own.put(k.substring(prefix.length()), v);
            } else if (!k.startsWith("district.")) {
                merged.put(k, v);
            }
        });
        merged.putAll(own);
        return new Policies(merged);
    }

    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policies p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Policies" + values;
    }
}
