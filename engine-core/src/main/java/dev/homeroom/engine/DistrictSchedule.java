package dev.homeroom.engine;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * When a {@link SyncScheduler} syncs one district: a full sync every day at {@code dailyFullAt} (in {@code zone}) and an
 * incremental sync every {@code incrementalEvery} between two full syncs, counted from the daily time. An interval of a
 * day or more means full syncs only.
 */
@API(status = API.Status.EXPERIMENTAL)
public record DistrictSchedule(LocalTime dailyFullAt, ZoneId zone, Duration incrementalEvery) {
    public DistrictSchedule {
        Objects.requireNonNull(dailyFullAt, "dailyFullAt");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(incrementalEvery, "incrementalEvery");
        if (incrementalEvery.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new ConfigurationException("HR-SCHED-001", "incremental interval " + incrementalEvery
                    + " is too short: use one minute or more");
        }
    }

    /** A daily full sync at this time (UTC) and incrementals every {@code minutes} minutes between. */
    public static DistrictSchedule daily(LocalTime fullAt, int incrementalMinutes) {
        return new DistrictSchedule(fullAt, java.time.ZoneOffset.UTC, Duration.ofMinutes(incrementalMinutes));
    }
}
