package dev.homeroom.engine;

import java.time.Instant;
import org.apiguardian.api.API;

/** One past run as {@code runs} lists it; {@code reportJson} is the full report as the run stored it. */
@API(status = API.Status.STABLE)
public record RunInfo(String runId, String districtId, String mode, String status, Instant startedAt, Instant finishedAt,
                      long warnings, long errors, String reportJson) {}
