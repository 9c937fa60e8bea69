package dev.homeroom.store;

import org.apiguardian.api.API;

/** How a sync treats values a person edited (POLICIES.md P21, {@code sync.strategy}). */
@API(status = API.Status.INTERNAL)
public enum EditPolicy {
    /** PARTIAL_LOCKDOWN (and MANUAL): edited values are kept. */
    KEEP,
    /** TWO_WAY: edited values are kept, and a Clever change to what was edited is recorded as a conflict. */
    KEEP_AND_REPORT,
    /** SIS_LOCKDOWN: Clever is the truth; syncs overwrite edited values. */
    OVERWRITE;

    public static EditPolicy forStrategy(String strategy) {
        if ("SIS_LOCKDOWN".equalsIgnoreCase(strategy)) {
            return OVERWRITE;
        }
        return "TWO_WAY".equalsIgnoreCase(strategy) ? KEEP_AND_REPORT : KEEP;
    }
}
