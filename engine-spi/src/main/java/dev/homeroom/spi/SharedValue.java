package dev.homeroom.spi;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A fact the pipeline inserts beside a record's fact when another record of the same kind has the same value (P9):
 * {@code cleverId}'s {@code field} ({@code email}, or {@code sis_id} among users of the same role) equals that of
 * {@code otherCleverId}. It is inserted for every record sharing the value, the one that keeps it included, so a
 * warning can name the other record; {@link DuplicateOf} says which one is the later.
 *
 * @since SPI 1.2
 */
@API(status = API.Status.EXPERIMENTAL)
public record SharedValue(RecordKind kind, String cleverId, String field, String otherCleverId) {
    public SharedValue {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cleverId, "cleverId");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(otherCleverId, "otherCleverId");
    }
}
