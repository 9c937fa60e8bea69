package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.RUN_APPROVAL;

import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import org.apiguardian.api.API;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Who decided what on a halted run ({@code run_approval}): each approval, whole or in part, and each rejection, with
 * the person, the moment and the run it led to.
 */
@API(status = API.Status.INTERNAL)
public final class ApprovalStore {
    private final DSLContext ctx;

    ApprovalStore(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** One decision; {@code changeIds} is the sorted, comma-separated ids of a SELECTED approval, else null. */
    public record ApprovalRow(String districtId, String runId, int seq, String approver, LocalDateTime decidedAt, String decision,
                              String changeIds, String resultRunId, String resultStatus) {}

    /** Records a decision on a halted run as its next one. */
    public void record(String districtId, String runId, String approver, LocalDateTime decidedAt, String decision, String changeIds,
                       String resultRunId, String resultStatus) {
        var a = RUN_APPROVAL;
        Integer last = ctx.select(DSL.max(a.SEQ)).from(a).where(a.DISTRICT_ID.eq(districtId), a.RUN_ID.eq(runId)).fetchOne(0, Integer.class);
        ctx.insertInto(a).set(a.DISTRICT_ID, districtId).set(a.RUN_ID, runId).set(a.SEQ, last == null ? 1 : last + 1)
                .set(a.APPROVER, approver).set(a.DECIDED_AT, decidedAt).set(a.DECISION, decision).set(a.CHANGE_IDS, changeIds)
                .set(a.RESULT_RUN_ID, resultRunId).set(a.RESULT_STATUS, resultStatus).execute();
    }

    /** The decisions on these runs, or that led to them, oldest first. */
    public List<ApprovalRow> of(String districtId, Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        var a = RUN_APPROVAL;
        return ctx.selectFrom(a).where(a.DISTRICT_ID.eq(districtId), a.RUN_ID.in(runIds).or(a.RESULT_RUN_ID.in(runIds)))
                .orderBy(a.DECIDED_AT, a.RUN_ID, a.SEQ)
                .fetch(r -> new ApprovalRow(r.getDistrictId(), r.getRunId(), r.getSeq(), r.getApprover(), r.getDecidedAt(), r.getDecision(),
                        r.getChangeIds(), r.getResultRunId(), r.getResultStatus()));
    }
}
