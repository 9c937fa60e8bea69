package dev.homeroom.spi;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * Where a {@link SupplementalSource} hands its rows; the engine implements it.
 *
 * @since SPI 1.2
 */
@API(status = API.Status.EXPERIMENTAL)
public interface SupplementalRows {
    /**
     * One row: its key (a SIS id or Clever id, as the source's {@link SupplementalSource#joinKey()} says) and its values by
     * name. A second row with the same key replaces the first, with a warning.
     */
    void row(String key, Map<String, String> values);

    /** A row that could not be read (e.g. {@code "line 17"}, {@code "3 columns, expected 2"}): a warning of the run. */
    void problem(String where, String message);
}
