package dev.homeroom.engine;

import java.util.List;
import org.apiguardian.api.API;

/**
 * A dry run ({@link SyncEngine#plan(SyncMode, int)}): its report, the first changes it would make, one per record in the
 * order the run decides them (schools, terms, courses, users, sections, each by Clever id), and how many records it
 * would change in all. Memberships are counted in the log, not listed.
 */
@API(status = API.Status.EXPERIMENTAL)
public record Plan(SyncReport report, List<RecordChange> changes, long changeCount) {
    public Plan {
        changes = List.copyOf(changes);
    }

    /** How many changes the list leaves out. */
    public long notListed() {
        return changeCount - changes.size();
    }
}
