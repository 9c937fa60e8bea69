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
}
