package dev.homeroom.engine;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * One change a run applied to what the host sees, from the outbox written in the same transaction: {@code entity} is
 * user, section, term, course or school; {@code key} the Clever id, and for an account the Clever id and the account's role
 * ({@code CLEVER_ID/ROLE}: {@code teacher-1/teacher}); {@code change} CREATED, UPDATED, REACTIVATED or DEACTIVATED.
 */
@API(status = API.Status.EXPERIMENTAL)
public record AppliedChange(String districtId, String runId, int seq, String entity, String key, String change, Instant at) {}
