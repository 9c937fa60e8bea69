package dev.homeroom.engine.internal.clever;

import dev.homeroom.spi.CleverEvent;
import java.util.List;

/** Receives each page of events once it has been read completely, oldest first. */
@FunctionalInterface
public interface EventSink {
    void page(List<CleverEvent> events, List<RecordProblem> problems);
}
