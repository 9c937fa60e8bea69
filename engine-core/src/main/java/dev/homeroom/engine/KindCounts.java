package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * What a run did to one kind of record. {@code fetched} counts records Clever sent; of those the engine provisions,
 * {@code created} are new, {@code updated} changed, {@code unchanged} did not; {@code skipped} were decided against;
 * {@code deactivated} went away or were decided off; {@code reactivated} came back; {@code errors} are handled errors.
 */
@API(status = API.Status.STABLE)
public record KindCounts(long fetched, long created, long updated, long unchanged, long skipped, long deactivated,
                         long reactivated, long errors) {
    public static final KindCounts ZERO = new KindCounts(0, 0, 0, 0, 0, 0, 0, 0);
}
