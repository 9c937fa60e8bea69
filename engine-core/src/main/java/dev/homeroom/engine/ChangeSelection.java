package dev.homeroom.engine;

import java.util.Collection;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Which changes of a halted MANUAL plan a person approves ({@link SyncEngine#approve(String, ChangeSelection)}): only
 * these ids, or every change except these. Ids are those of {@link SyncEngine#plannedChanges}.
 */
@API(status = API.Status.EXPERIMENTAL)
public record ChangeSelection(boolean only, Set<String> ids) {
    public ChangeSelection {
        ids = Set.copyOf(ids);
    }

    /** Approves exactly these changes; the others stay pending. */
    public static ChangeSelection only(Collection<String> ids) {
        return new ChangeSelection(true, Set.copyOf(ids));
    }

    /** Approves every change but these, which stay pending. */
    public static ChangeSelection except(Collection<String> ids) {
        return new ChangeSelection(false, Set.copyOf(ids));
    }
}
