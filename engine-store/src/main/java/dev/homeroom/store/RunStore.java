package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.DATA_WARNING;
import static dev.homeroom.store.internal.jooq.Tables.DISTRICT;
import static dev.homeroom.store.internal.jooq.Tables.SYNC_RUN;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Districts and their sync state (event cursor, the row lock a run holds), the runs, and each run's data warnings and
 * handled errors. Tables: {@code district}, {@code sync_run}, {@code data_warning}.
 */
@API(status = API.Status.INTERNAL)
public final class RunStore {
    private final DSLContext ctx;
    private final Map<String, Integer> warningSeq = new HashMap<>();

    RunStore(DSLContext ctx) {
        this.ctx = ctx;
    }

    public void ensureDistrict(String districtId, String name) {
        int updated = ctx.update(DISTRICT).set(DISTRICT.NAME, name).where(DISTRICT.DISTRICT_ID.eq(districtId)).execute();
        if (updated == 0) {
            ctx.insertInto(DISTRICT)
                    .set(DISTRICT.DISTRICT_ID, districtId)
                    .set(DISTRICT.NAME, name)
                    .set(DISTRICT.CREATED_AT, LocalDateTime.now(java.time.ZoneOffset.UTC))
                    .execute();
        }
    }

    /**
     * Makes sure the district has its row (in a transaction of its own, before a run locks it). Reads first: an upsert
     * would wait for a run that holds the row's lock.
     */
    public void registerDistrict(String districtId, String name) {
        if (ctx.fetchExists(DISTRICT, DISTRICT.DISTRICT_ID.eq(districtId))) {
            return;
        }
        ctx.insertInto(DISTRICT)
                .set(DISTRICT.DISTRICT_ID, districtId)
                .set(DISTRICT.NAME, name)
                .set(DISTRICT.CREATED_AT, LocalDateTime.now(java.time.ZoneOffset.UTC))
                .onConflictDoNothing()
                .execute();
    }

    /**
     * Takes the district's row lock for the rest of this transaction, so that one instance at a time syncs a district
     * when several hosts share one database. Returns false at once, without waiting, when another transaction holds it.
     */
    public boolean claimDistrict(String districtId) {
        return ctx.select(DISTRICT.DISTRICT_ID).from(DISTRICT).where(DISTRICT.DISTRICT_ID.eq(districtId))
                .forUpdate().skipLocked()
                .fetchOptional().isPresent();
    }

    public Optional<String> eventCursor(String districtId) {
        return ctx.select(DISTRICT.EVENT_CURSOR).from(DISTRICT).where(DISTRICT.DISTRICT_ID.eq(districtId))
                .fetchOptional(DISTRICT.EVENT_CURSOR);
    }

    public void setEventCursor(String districtId, String cursor) {
        ctx.update(DISTRICT).set(DISTRICT.EVENT_CURSOR, cursor).where(DISTRICT.DISTRICT_ID.eq(districtId)).execute();
    }

    public void insertRun(String runId, String districtId, String mode, String status, LocalDateTime startedAt) {
        ctx.insertInto(SYNC_RUN)
                .set(SYNC_RUN.RUN_ID, runId)
                .set(SYNC_RUN.DISTRICT_ID, districtId)
                .set(SYNC_RUN.MODE, mode)
                .set(SYNC_RUN.STATUS, status)
                .set(SYNC_RUN.STARTED_AT, startedAt)
                .execute();
    }

    public void finishRun(String runId, String status, LocalDateTime finishedAt, String rulesHash, String report,
                          int warnings, int errors) {
        ctx.update(SYNC_RUN)
                .set(SYNC_RUN.STATUS, status)
                .set(SYNC_RUN.FINISHED_AT, finishedAt)
                .set(SYNC_RUN.RULES_HASH, rulesHash)
                .set(SYNC_RUN.REPORT, report)
                .set(SYNC_RUN.WARNINGS, warnings)
                .set(SYNC_RUN.ERRORS, errors)
                .where(SYNC_RUN.RUN_ID.eq(runId))
                .execute();
    }

    /** Changes a run's status, e.g. a HALTED run to APPROVED once its plan was applied by another run. */
    public void setRunStatus(String runId, String status) {
        ctx.update(SYNC_RUN).set(SYNC_RUN.STATUS, status).where(SYNC_RUN.RUN_ID.eq(runId)).execute();
    }

    /** Writes a whole run record at once (used for runs whose work was rolled back: plans, halted and failed runs). */
    public void recordRun(RunRow run) {
        ctx.insertInto(SYNC_RUN)
                .set(SYNC_RUN.RUN_ID, run.runId())
                .set(SYNC_RUN.DISTRICT_ID, run.districtId())
                .set(SYNC_RUN.MODE, run.mode())
                .set(SYNC_RUN.STATUS, run.status())
                .set(SYNC_RUN.STARTED_AT, run.startedAt())
                .set(SYNC_RUN.FINISHED_AT, run.finishedAt())
                .set(SYNC_RUN.RULES_HASH, run.rulesHash())
                .set(SYNC_RUN.REPORT, run.report())
                .set(SYNC_RUN.WARNINGS, run.warnings())
                .set(SYNC_RUN.ERRORS, run.errors())
                .execute();
    }

    /**
     * The rules hash under which every record of the district was last decided (see {@link #setDecidedUnder}); empty
     * before a run decided them all, or after one that decided some under other rules.
     */
    public Optional<String> decidedUnder(String districtId) {
        return ctx.select(DISTRICT.DECIDED_UNDER).from(DISTRICT).where(DISTRICT.DISTRICT_ID.eq(districtId))
                .fetchOptional(DISTRICT.DECIDED_UNDER);
    }

    /**
     * Records, in the transaction that applies a run, that every record now stands decided under {@code rulesHash}
     * (the run decided them all, or decided what changed under the hash they stood under already); null when the run
     * decided only some under rules other than those the rest stand under.
     */
    public void setDecidedUnder(String districtId, String rulesHash) {
        ctx.update(DISTRICT).set(DISTRICT.DECIDED_UNDER, rulesHash).where(DISTRICT.DISTRICT_ID.eq(districtId)).execute();
    }

    public List<RunRow> runs(String districtId, int limit) {
        Condition where = districtId == null ? DSL.trueCondition() : SYNC_RUN.DISTRICT_ID.eq(districtId);
        return ctx.selectFrom(SYNC_RUN).where(where).orderBy(SYNC_RUN.STARTED_AT.desc(), SYNC_RUN.RUN_ID.desc()).limit(limit)
                .fetch(RunStore::runRow);
    }

    public Optional<RunRow> run(String runId) {
        return ctx.selectFrom(SYNC_RUN).where(SYNC_RUN.RUN_ID.eq(runId)).fetchOptional(RunStore::runRow);
    }

    private static RunRow runRow(dev.homeroom.store.internal.jooq.tables.records.SyncRunRecord r) {
        return new RunRow(r.getRunId(), r.getDistrictId(), r.getMode(), r.getStatus(), r.getStartedAt(), r.getFinishedAt(),
                r.getRulesHash(), r.getReport(), r.getWarnings(), r.getErrors());
    }

    public void addWarnings(String districtId, List<WarningRow> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        String runId = warnings.get(0).runId();
        int seq = warningSeq.computeIfAbsent(runId, id -> ctx.select(DSL.coalesce(DSL.max(DATA_WARNING.SEQ), 0)).from(DATA_WARNING)
                .where(DATA_WARNING.DISTRICT_ID.eq(districtId), DATA_WARNING.RUN_ID.eq(id)).fetchOne(0, Integer.class));
        var batch = ctx.batch(ctx.insertInto(DATA_WARNING, DATA_WARNING.DISTRICT_ID, DATA_WARNING.RUN_ID, DATA_WARNING.SEQ,
                DATA_WARNING.KIND, DATA_WARNING.CLEVER_ID, DATA_WARNING.CODE, DATA_WARNING.FIELD, DATA_WARNING.MESSAGE,
                DATA_WARNING.RULE_ID).values((String) null, null, null, null, null, null, null, null, null));
        for (WarningRow w : warnings) {
            batch.bind(districtId, w.runId(), ++seq, w.kind().label(), w.cleverId(), w.code(), w.field(),
                    StoredText.storable(w.message()), w.ruleId());
        }
        batch.execute();
        warningSeq.put(runId, seq);
    }

    /** Warnings of one run, or of one record across runs when {@code cleverId} is given (runId may then be null). */
    public List<WarningRow> warnings(String districtId, String runId, String cleverId, int limit) {
        Condition where = DATA_WARNING.DISTRICT_ID.eq(districtId);
        if (runId != null) {
            where = where.and(DATA_WARNING.RUN_ID.eq(runId));
        }
        if (cleverId != null) {
            where = where.and(DATA_WARNING.CLEVER_ID.eq(cleverId));
        }
        return ctx.selectFrom(DATA_WARNING).where(where).orderBy(DATA_WARNING.RUN_ID, DATA_WARNING.SEQ).limit(limit)
                .fetch(w -> new WarningRow(w.getRunId(), Sql.kindOf(w.getKind()), w.getCleverId(), w.getCode(), w.getField(),
                        w.getMessage(), w.getRuleId()));
    }
}
