package dev.homeroom.engine;

import dev.homeroom.spi.RecordKind;
import org.apiguardian.api.API;

/** Progress callbacks of a run; every method defaults to doing nothing. Called on the thread running the sync. */
@API(status = API.Status.STABLE)
public interface SyncListener {
    default void runStarted(String runId, String districtId, SyncMode mode) {}

    default void pageFetched(RecordKind kind, int records, int problems) {}

    default void kindDecided(RecordKind kind, KindCounts counts) {}

    default void runFinished(SyncReport report) {}
}
