package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * One change of a halted or planned run (a MANUAL plan, P21, or one a safety guard halted), as a person reviews it:
 * its {@code id} is stable across plans (a hash of what changes and to which values), so the same change planned again has the same id and a
 * changed one a new id. {@code entity} is {@code user} (an account), {@code section} (a class), {@code term},
 * {@code school}, {@code course} or {@code membership}; {@code key} is the Clever id, {@code id/role} for an account,
 * {@code class/user/role} for a membership; {@code change} is CREATED, UPDATED, REACTIVATED or DEACTIVATED;
 * {@code rule} and {@code reason} are the rule behind the record's outcome and its reason (null for a membership, which
 * follows its class and account, and for plans recorded before they were kept).
 */
@API(status = API.Status.EXPERIMENTAL)
public record PlannedChange(String id, String entity, String key, String change, String rule, String reason) {
    public PlannedChange(String id, String entity, String key, String change) {
        this(id, entity, key, change, null, null);
    }
}
