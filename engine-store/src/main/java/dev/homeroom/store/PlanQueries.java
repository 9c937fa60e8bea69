package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.PLANNED_CHANGE;

import java.util.List;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The reads behind a plan's page: the changes a MANUAL plan recorded ({@code planned_change}), a page at a time in
 * kind and record order after a cursor (a range of {@code ix_planned_change_page}), narrowed by kind and by the start of
 * a record key, and counted per kind and change.
 */
@API(status = API.Status.INTERNAL)
public final class PlanQueries {
    private final DSLContext ctx;

    PlanQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    public record PlannedRow(String changeId, String entity, String key, String change, String rule, String reason) {}

    public record PlannedCount(String entity, String change, long count) {}

    /**
     * A page of a plan's changes in (entity, key, id) order after the change {@code afterId} (null for the first page);
     * {@code entity} and {@code keyPrefix} narrow it (null for any).
     */
    public List<PlannedRow> page(String districtId, String runId, String entity, String keyPrefix, String afterId, int limit) {
        var c = PLANNED_CHANGE;
        Condition where = c.DISTRICT_ID.eq(districtId).and(c.RUN_ID.eq(runId));
        if (entity != null) {
            where = where.and(c.ENTITY.eq(entity));
        }
        if (keyPrefix != null) {
            where = where.and(c.RECORD_KEY.startsWith(keyPrefix));
        }
        if (afterId != null) {
            var after = ctx.select(c.ENTITY, c.RECORD_KEY, c.CHANGE_ID).from(c)
                    .where(c.DISTRICT_ID.eq(districtId), c.RUN_ID.eq(runId), c.CHANGE_ID.eq(afterId)).fetchOne();
            if (after != null) {
                where = where.and(DSL.row(c.ENTITY, c.RECORD_KEY, c.CHANGE_ID).gt(after.value1(), after.value2(), after.value3()));
            }
        }
        return ctx.select(c.CHANGE_ID, c.ENTITY, c.RECORD_KEY, c.CHANGE, c.RULE, c.REASON).from(c).where(where)
                .orderBy(c.ENTITY, c.RECORD_KEY, c.CHANGE_ID).limit(Math.max(1, Math.min(limit, ConsoleQueries.MAX_PAGE + 1)))
                .fetch(r -> new PlannedRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
    }

    /** Every change a plan recorded, by entity and key. */
    public List<PlannedRow> all(String districtId, String runId) {
        var c = PLANNED_CHANGE;
        return ctx.select(c.CHANGE_ID, c.ENTITY, c.RECORD_KEY, c.CHANGE, c.RULE, c.REASON).from(c)
                .where(c.DISTRICT_ID.eq(districtId), c.RUN_ID.eq(runId)).orderBy(c.ENTITY, c.RECORD_KEY)
                .fetch(r -> new PlannedRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
    }

    /** How many changes a plan recorded per entity and change. */
    public List<PlannedCount> counts(String districtId, String runId) {
        var c = PLANNED_CHANGE;
        return ctx.select(c.ENTITY, c.CHANGE, DSL.count()).from(c).where(c.DISTRICT_ID.eq(districtId), c.RUN_ID.eq(runId))
                .groupBy(c.ENTITY, c.CHANGE).orderBy(c.ENTITY, c.CHANGE)
                .fetch(r -> new PlannedCount(r.value1(), r.value2(), r.value3()));
    }
}
