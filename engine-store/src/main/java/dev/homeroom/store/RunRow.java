package dev.homeroom.store;

import java.time.LocalDateTime;
import org.apiguardian.api.API;

/** One sync run as the store keeps it; {@code report} is the run's JSON report. */
@API(status = API.Status.INTERNAL)
public record RunRow(String runId, String districtId, String mode, String status, LocalDateTime startedAt,
                     LocalDateTime finishedAt, String rulesHash, String report, int warnings, int errors) {}
