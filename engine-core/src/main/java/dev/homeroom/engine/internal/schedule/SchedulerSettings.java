package dev.homeroom.engine.internal.schedule;

import dev.homeroom.engine.ScheduledDistrict;
import dev.homeroom.engine.SyncScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** What {@link dev.homeroom.engine.SyncScheduler.Builder} collected. */
public record SchedulerSettings(List<ScheduledDistrict> districts, Clock clock, Duration pollingInterval, Duration heartbeatInterval,
                                int threads, Duration firstBackoff, Duration maxBackoff, Duration busyRetry, Duration shutdownWait,
                                String node, List<SyncScheduler.Listener> listeners) {

    /** The host name and process id, at most 50 characters (db-scheduler's picked_by column). */
    public static String defaultNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            host = "host";
        }
        String pid = "-" + ProcessHandle.current().pid();
        return (host.length() + pid.length() > 50 ? host.substring(0, 50 - pid.length()) : host) + pid;
    }
}
