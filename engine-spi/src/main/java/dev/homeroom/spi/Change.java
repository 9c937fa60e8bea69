package dev.homeroom.spi;

import org.apiguardian.api.API;

/** How a record changed since the previous run, from the store's shadow of Clever. */
@API(status = API.Status.STABLE)
public enum Change {
    /** First seen this run (or shared again after being gone). */
    CREATED,
    /** Seen before; its content changed. */
    UPDATED,
    /** Seen before; its content hash is the same. */
    UNCHANGED,
    /** Seen before, absent from this run's data (deleted or unshared in Clever). */
    GONE
}
