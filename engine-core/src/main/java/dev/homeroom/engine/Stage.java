package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * The steps of a run, as {@link SyncListener#stagesTimed} reports their time. A run interleaves them page by page and
 * batch by batch; each figure is the sum over the run.
 */
@API(status = API.Status.EXPERIMENTAL)
public enum Stage {
    /** Requests to Clever and parsing the pages. */
    FETCH,
    /** Comparing fetched records with the shadow and writing what changed (plugins' transformers included). */
    SHADOW,
    /** Finding what went away and computing facts in SQL (counts, duplicates, references, previous outcomes). */
    DERIVE,
    /** Reading records back and running the rules. */
    DECIDE,
    /** Resolving the rules' decisions into provisioned rows, and the safety guard. */
    PLAN,
    /** Writing decisions, provisioned rows, memberships, warnings and the outbox. */
    APPLY,
    /** Committing the run's transaction. */
    COMMIT
}
