package dev.homeroom.engine;

import dev.homeroom.spi.RecordKind;
import org.apiguardian.api.API;

/** Progress callbacks of a run; every method defaults to doing nothing. Called on the thread running the sync. */
@API(status = API.Status.STABLE)
public interface SyncListener {
    default void runStarted(String runId, String districtId, SyncMode mode) {}

    default void pageFetched(RecordKind kind, int records, int problems) {}

    /** A batch of records of a kind was decided and applied ({@code decided} records in this batch). */
    default void recordsDecided(RecordKind kind, int decided) {}

    /** Every record of a kind was decided and applied; the counts so far for that kind. */
    default void kindDecided(RecordKind kind, KindCounts counts) {}

    /** Where the run's time went, once per run that got as far as its transaction (before {@link #runFinished}). */
    default void stagesTimed(String runId, java.util.Map<Stage, java.time.Duration> stages) {}

    default void runFinished(SyncReport report) {}
}
