package dev.homeroom.engine;

import java.util.List;
import org.apiguardian.api.API;

/**
 * One page of a MANUAL plan's changes ({@link SyncEngine#plannedChanges(String, String, String, String, int)}), in
 * entity and key order; {@code next} is the id to pass as {@code after} for the next page, or null when this is the last.
 */
@API(status = API.Status.EXPERIMENTAL)
public record PlannedChangePage(List<PlannedChange> changes, String next) {
    public PlannedChangePage {
        changes = List.copyOf(changes);
    }
}
