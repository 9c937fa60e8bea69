package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * One record a run would change (or changed), with the rule behind its outcome and that rule's reason: {@code kind} is
 * user, section, term, course or school; {@code change} CREATED, UPDATED, REACTIVATED or DEACTIVATED.
 */
@API(status = API.Status.EXPERIMENTAL)
public record RecordChange(String kind, String cleverId, String change, String rule, String reason) {}
