package dev.homeroom.engine;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * One change a run applied to what the host sees, from the outbox written in the same transaction: {@code entity} is
 * user, section, term, course or school; {@code key} the Clever id (with {@code /role} for an account of a user with one
 * account per role); {@code change} CREATED, UPDATED, REACTIVATED or DEACTIVATED.
 */
@API(status = API.Status.EXPERIMENTAL)
public record AppliedChange(String districtId, String runId, int seq, String entity, String key, String change, Instant at) {}
