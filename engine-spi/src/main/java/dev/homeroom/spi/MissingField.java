package dev.homeroom.spi;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One record missing the field a {@link FillerProvider} fills: the district, the record as fetched (after the plugins'
 * transformers), the field, the filler the default rules put there (null when none did) and the plugin's own
 * supplemental data for the record ({@link SupplementalSource}: its sources' values merged by name; empty when it has none).
 *
 * @since SPI 1.2
 */
@API(status = API.Status.EXPERIMENTAL)
public record MissingField(String districtId, CleverRecord record, String field, String defaultFiller, Map<String, String> supplemental) {
    public MissingField {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(field, "field");
        supplemental = Immutables.map(supplemental);
    }

    /** The record as a user, or null when it is another kind. */
    public User user() {
        return record instanceof User u ? u : null;
    }

    /** The student role of a user record, or null. */
    public User.Student student() {
        return record instanceof User u ? u.roles().student() : null;
    }
}
