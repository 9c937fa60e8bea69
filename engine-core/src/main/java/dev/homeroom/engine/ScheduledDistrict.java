package dev.homeroom.engine;

import java.util.Objects;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * One district a {@link SyncScheduler} runs: a key of the host's choosing (letters, digits, {@code . _ -}; at most 100),
 * its schedule, and how to configure its engine: the district app's token, the Clever URL, rules, plugins. The
 * scheduler gives every engine its own store (the one it runs on), so a store set here is replaced.
 */
@API(status = API.Status.EXPERIMENTAL)
public record ScheduledDistrict(String key, DistrictSchedule schedule, Consumer<SyncEngine.Builder> engine) {
    public ScheduledDistrict {
        if (key == null || !key.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ConfigurationException("HR-SCHED-002", "district key '" + key
                    + "' is not usable: use 1 to 100 letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(engine, "engine");
    }
}
