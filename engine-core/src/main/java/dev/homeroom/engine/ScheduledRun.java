package dev.homeroom.engine;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * One run a {@link SyncScheduler} made. {@code trigger} says why it ran: {@code schedule} (its slot), {@code catch-up}
 * (its slot had passed while no scheduler ran: caught up once), {@code on-demand} ({@link SyncScheduler#syncNow}),
 * {@code retry} (after a failure or while another run held the district). {@code report} is null when the engine threw
 * (then {@code failure} says why). {@code next} is when the district runs next, {@code node} which scheduler ran it;
 * {@code scheduledFor}, {@code startedAt} and {@code next} are on the scheduler's clock.
 */
@API(status = API.Status.EXPERIMENTAL)
public record ScheduledRun(String districtKey, SyncMode mode, String trigger, Instant scheduledFor, Instant startedAt,
                           SyncReport report, String failure, int consecutiveFailures, Instant next, String node) {

    /** Whether the run did its work: succeeded, with warnings or not, or halted by a safety guard (nothing to retry). */
    public boolean completed() {
        return report != null && report.status() != SyncStatus.FAILED;
    }

    /** Whether another run held the district (HR-SYNC-409): nothing was done and it is retried shortly. */
    public boolean busy() {
        return report != null && "HR-SYNC-409".equals(report.failureCode());
    }

    /** The run in one line, for a log. */
    public String oneLine() {
        StringBuilder b = new StringBuilder();
        b.append(districtKey).append(' ').append(mode.name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(trigger).append(": ");
        if (report == null) {
            b.append("FAILED ").append(failure);
        } else {
            b.append(report.status());
            if (report.status() == SyncStatus.FAILED) {
                b.append(' ').append(report.failureCode() == null ? "" : "[" + report.failureCode() + "] ").append(report.failure());
            } else {
                KindCounts users = report.counts("users");
                b.append(" users +").append(users.created()).append(" ~").append(users.updated()).append(" -").append(users.deactivated());
                if (report.guard() != null) {
                    b.append(" halted: ").append(report.guard());
                }
            }
            b.append(" run ").append(report.runId());
        }
        if (consecutiveFailures > 0) {
            b.append(" (failure ").append(consecutiveFailures).append(" in a row)");
        }
        b.append("; next ").append(next).append(" on ").append(node);
        return b.toString();
    }
}
