package dev.homeroom.store;

import java.util.List;
import org.apiguardian.api.API;

/** What one page changed in the shadow: ids created (or shared again), ids updated, and how many were unchanged. */
@API(status = API.Status.INTERNAL)
public record PageDiff(List<String> created, List<String> updated, int unchanged) {
    public PageDiff {
        created = List.copyOf(created);
        updated = List.copyOf(updated);
    }
}
