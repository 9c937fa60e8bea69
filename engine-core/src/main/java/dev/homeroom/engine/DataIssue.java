package dev.homeroom.engine;

import org.apiguardian.api.API;

/** A data warning or handled error of a run: the record, a stable code, the field, a reason and the rule or check. */
@API(status = API.Status.STABLE)
public record DataIssue(String runId, String kind, String cleverId, String code, String field, String message, String rule) {}
