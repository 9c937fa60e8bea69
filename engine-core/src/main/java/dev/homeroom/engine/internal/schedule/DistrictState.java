package dev.homeroom.engine.internal.schedule;

import java.io.Serializable;

/**
 * What db-scheduler keeps with a district's execution: the daily full slot its last full sync covered (epoch millis,
 * null before the first), and a mode someone asked for with syncNow (null when none).
 */
record DistrictState(Long lastFullSlot, String requestedMode) implements Serializable {
    private static final long serialVersionUID = 1L;

    static final DistrictState NEW = new DistrictState(null, null);
}
