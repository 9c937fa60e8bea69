package dev.homeroom.spi;

import org.apiguardian.api.API;

/**
 * What a plugin hears about the runs of its own districts (those its {@link DistrictPlugin#appliesTo} accepts), for its
 * own audit: never about another district's runs. Every method defaults to doing nothing. The engine calls them on the
 * thread running the sync; one that throws is logged ({@code HR-PLUGIN-012}) and the run carries on, so a listener
 * cannot stop or change a run. {@code context} is the plugin's context for that run: {@link PluginContext#districtId()}
 * names the district.
 *
 * @since SPI 1.1
 */
@API(status = API.Status.EXPERIMENTAL)
public interface RunListener {
    /** A run of one of this plugin's districts started, before anything was fetched. */
    default void runStarted(PluginContext context, RunStart run) {}

    /**
     * Whether this listener wants every record's decision ({@link #batchDecided}). False by default: the engine then
     * builds nothing for it, so a listener that only counts costs a 1,000,000-student run nothing. Asked once per run.
     *
     * @since SPI 1.2
     */
    default boolean hearsDecisions() {
        return false;
    }

    /**
     * One decide batch's decisions, for a listener that {@link #hearsDecisions()}: one call per batch, on the thread
     * running the sync, before the batch is applied, so keep it quick (hand the batch to your own queue for slow work).
     * A plan or a halted run is heard too; {@link #runFinished} says whether the run applied what it decided.
     *
     * @since SPI 1.2
     */
    default void batchDecided(PluginContext context, DecidedBatch batch) {}

    /** Every record of one kind was decided: what the decisions were, as counts. */
    default void kindDecided(PluginContext context, KindOutcome outcome) {}

    /** The run ended (applied, planned, halted or failed), with the decisions that took records out, by rule. */
    default void runFinished(PluginContext context, RunEnd run) {}
}
