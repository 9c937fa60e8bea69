package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import org.apiguardian.api.API;

/** A data warning or handled error of a run. */
@API(status = API.Status.INTERNAL)
public record WarningRow(String runId, RecordKind kind, String cleverId, String code, String field, String message, String ruleId) {}
