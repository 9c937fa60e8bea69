package dev.homeroom.engine;

import dev.homeroom.spi.RecordKind;
import org.apiguardian.api.API;

/** Progress callbacks of a run; every method defaults to doing nothing. Called on the thread running the sync. */
@API(status = API.Status.STABLE)
public interface SyncListener {
    default void runStarted(String runId, String districtId, SyncMode mode) {}

    /** After each page Clever sent: how many records of this kind it held and how many of them could not be read. */
    default void pageFetched(RecordKind kind, int records, int problems) {}

    /** After each batch the rules decided: {@code decided} records of this kind in that batch. */
    default void recordsDecided(RecordKind kind, int decided) {}

    /** After the last batch of a kind: its counts so far. */
    default void kindDecided(RecordKind kind, KindCounts counts) {}

    /** Where the run's time went, once per run that got as far as its transaction (before {@link #runFinished}). */
    default void stagesTimed(String runId, java.util.Map<Stage, java.time.Duration> stages) {}

    default void runFinished(SyncReport report) {}
}
