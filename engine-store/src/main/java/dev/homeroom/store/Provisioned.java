package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A row the host application sees (an account, class, term, school or course): its key, whether it is active, and its
 * column values by column name. {@code accountRole} is part of the key of accounts only (one account per role under
 * SEPARATE_ACCOUNTS); for courses it carries the school of a per-school copy (P19 courses.per_school; null or '' for the
 * district-wide row and a self-generated course); it is null for the other kinds. Columns named in {@code setOnce} hold a value the engine
 * inferred: it is written when the stored row has none and never overwritten afterwards (POLICIES.md P6).
 */
@API(status = API.Status.INTERNAL)
public record Provisioned(RecordKind kind, String cleverId, String accountRole, boolean active, Map<String, Object> values,
                          java.util.Set<String> setOnce) {
    public Provisioned {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cleverId, "cleverId");
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        setOnce = java.util.Set.copyOf(setOnce);
    }

    public Provisioned(RecordKind kind, String cleverId, String accountRole, boolean active, Map<String, Object> values) {
        this(kind, cleverId, accountRole, active, values, java.util.Set.of());
    }

    public String key() {
        return ProvisionedTable.key(cleverId, accountRole);
    }
}
