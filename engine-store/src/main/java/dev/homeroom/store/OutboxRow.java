package dev.homeroom.store;

import java.time.LocalDateTime;
import org.apiguardian.api.API;

/** One change a run made to a provisioned row, for the host to consume. {@code key} is the Clever id (and role for accounts). */
@API(status = API.Status.INTERNAL)
public record OutboxRow(String districtId, String runId, int seq, String entity, String key, String change, LocalDateTime createdAt) {}
