package dev.homeroom.store;

import java.time.LocalDateTime;
import org.apiguardian.api.API;

/** A change of a record's outcome, with the run that made it. */
@API(status = API.Status.INTERNAL)
public record HistoryRow(String runId, LocalDateTime runStartedAt, String outcome, String ruleId, String reason) {}
