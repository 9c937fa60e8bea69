package dev.homeroom.engine.internal.clever;

import dev.homeroom.spi.RecordKind;
import java.util.List;

/**
 * Receives each page once it has been read completely; a page that failed part-way is fetched again whole and never
 * reaches the sink. An exception thrown here stops the fetch and is rethrown as is (the page is not fetched again).
 */
@FunctionalInterface
public interface PageSink {
    void page(RecordKind kind, List<FetchedRecord> records, List<RecordProblem> problems);

    /**
     * Called for each record of a page on the thread that read it, before the page is delivered: while a page is read
     * ahead, the engine is still storing the page before, so work that needs nothing but the record is done here in
     * parallel. Must not touch the store. The record returned is the one delivered.
     */
    default FetchedRecord prepare(RecordKind kind, FetchedRecord record) {
        return record;
    }
}
