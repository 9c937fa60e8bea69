package dev.homeroom.spi;

import java.io.IOException;
import org.apiguardian.api.API;

/**
 * Data Clever does not carry (e.g. product license codes), read by a plugin from its own source (a CSV file its settings
 * name, an export, a service) once per run of each of its districts. Each row has a key, the user's SIS id or Clever id
 * ({@link #joinKey()}), and named values. The engine stores the rows (a run whose rows did not change writes nothing),
 * joins them to the district's users, gives the rules one {@link SupplementalData} fact per joined row, hands the values
 * to the plugin's {@link FillerProvider}s, and shows them to the host in the accounts' {@code supplemental} column and
 * in {@code explain}. A row whose key matches no user is a warning ({@code SUPPLEMENTAL_UNMATCHED}) with the row's key.
 *
 * @since SPI 1.2
 */
@API(status = API.Status.EXPERIMENTAL)
public interface SupplementalSource {
    /** What the key of a row is. */
    @API(status = API.Status.EXPERIMENTAL)
    enum JoinKey {
        /** The user's SIS id ({@code sis_id} of the student, teacher or contact role), as Clever sends it. */
        SIS_ID,
        /** The user's Clever id. */
        CLEVER_ID
    }

    /** A short name, unique within the plugin (e.g. {@code licenses}): facts, warnings and explain name it. */
    String name();

    /** What the rows' keys are; by default the users' SIS ids. */
    default JoinKey joinKey() {
        return JoinKey.SIS_ID;
    }

    /**
     * Reads every row and hands each to {@code rows}, as a stream: a million rows need not fit in memory. {@code context}
     * is the plugin's context for the run (its settings and the district). A row the source cannot read goes to
     * {@link SupplementalRows#problem} and the others carry on; a source that cannot be read at all (a missing file)
     * throws, and the run fails with a line that names the plugin and the problem, changing nothing.
     */
    void read(PluginContext context, SupplementalRows rows) throws IOException;
}
