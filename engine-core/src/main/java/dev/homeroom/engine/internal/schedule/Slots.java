package dev.homeroom.engine.internal.schedule;

import dev.homeroom.engine.DistrictSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;

/**
 * The slots of a {@link DistrictSchedule}: each day's full sync at its time, and incrementals every interval after it
 * until the next day's full sync.
 */
final class Slots {
    private Slots() {}

    /** The most recent daily full slot at or before {@code t}. */
    static Instant latestFull(DistrictSchedule s, Instant t) {
        LocalDate day = t.atZone(s.zone()).toLocalDate();
        Instant today = fullOn(s, day);
        return today.isAfter(t) ? fullOn(s, day.minusDays(1)) : today;
    }

    /** The first slot, full or incremental, strictly after {@code t}. */
    static Instant nextAfter(DistrictSchedule s, Instant t) {
        Instant full = latestFull(s, t);
        Instant nextFull = fullOn(s, full.atZone(s.zone()).toLocalDate().plusDays(1));
        Duration every = s.incrementalEvery();
        long elapsed = Duration.between(full, t).toMillis();
        long steps = elapsed / every.toMillis() + 1;
        Instant incremental = full.plusMillis(steps * every.toMillis());
        return incremental.isBefore(nextFull) ? incremental : nextFull;
    }

    private static Instant fullOn(DistrictSchedule s, LocalDate day) {
        return ZonedDateTime.of(day, s.dailyFullAt(), s.zone()).toInstant();
    }
}
