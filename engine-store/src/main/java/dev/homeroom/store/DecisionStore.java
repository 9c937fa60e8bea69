package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.OUTCOME_HISTORY;
import static dev.homeroom.store.internal.jooq.Tables.RECORD_STATE;
import static dev.homeroom.store.internal.jooq.Tables.SYNC_RUN;

import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.TabText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jooq.DSLContext;

/**
 * What decided each record, as {@code explain} shows it: one {@code record_state} row per record with its outcome,
 * effective role, a hash of everything decided (an unchanged decision costs a compare and no write), its decision
 * lines in one column, and the current outcome with the rule, reason and run it started with. {@code outcome_history}
 * holds the outcomes that were replaced, so a record whose outcome never changes has no history row.
 */
@API(status = API.Status.INTERNAL)
public final class DecisionStore {
    private final DSLContext ctx;
    private final Vendor vendor;

    DecisionStore(DSLContext ctx, Vendor vendor) {
        this.ctx = ctx;
        this.vendor = vendor;
    }

    /**
     * A record's new decision, with what the store held before ({@code stored} false for a record decided the first
     * time; {@code previousOutcome} as read with its facts).
     */
    public record Update(DecisionState state, boolean stored, Outcome previousOutcome) {}

    /** Replaces the stored decisions of these records (read first to see which are stored). */
    public void save(String districtId, String runId, List<DecisionState> states) {
        if (states.isEmpty()) {
            return;
        }
        RecordKind kind = states.get(0).kind();
        Map<String, String> previous = new HashMap<>();
        for (List<String> ids : Sql.chunks(states.stream().map(DecisionState::cleverId).toList())) {
            ctx.select(RECORD_STATE.CLEVER_ID, RECORD_STATE.OUTCOME).from(Sql.joinIds(RECORD_STATE, RECORD_STATE.CLEVER_ID, ids))
                    .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()))
                    .forEach(x -> previous.put(x.value1(), x.value2()));
        }
        saveUpdates(districtId, runId, states.stream()
                .map(st -> new Update(st, previous.containsKey(st.cleverId()),
                        previous.get(st.cleverId()) == null ? null : Outcome.valueOf(previous.get(st.cleverId()))))
                .toList());
    }

    /** Replaces the stored decisions of these records; a replaced outcome moves to the history. */
    public void saveUpdates(String districtId, String runId, List<Update> updates) {
        if (updates.isEmpty()) {
            return;
        }
        RecordKind kind = updates.get(0).state().kind();
        List<String> outcomeChanged = updates.stream()
                .filter(u -> u.stored() && u.previousOutcome() != u.state().outcome())
                .map(u -> u.state().cleverId()).toList();
        BulkWrites writes = new BulkWrites(ctx, vendor);
        archiveOutcomes(writes, districtId, kind, outcomeChanged);
        for (Update u : updates) {
            DecisionState st = u.state();
            DecisionDetail why = st.details().stream().filter(d -> "OUTCOME".equals(d.type())).findFirst().orElse(null);
            String rule = why == null ? null : why.ruleId();
            String reason = why == null ? null : StoredText.storable(why.reason());
            // a decision's first line is its outcome's; when the outcome starts here this row keeps that line in
            // outcome_rule and outcome_reason already, and details hold "=" in its place (decisionState puts it back)
            boolean outcomeBeside = (!u.stored() || u.previousOutcome() != st.outcome()) && startsWithItsOutcome(st, why);
            String details = encode(outcomeBeside ? st.details().subList(1, st.details().size()) : st.details(), outcomeBeside);
            int warnings = (int) st.details().stream().filter(d -> "WARNING".equals(d.type())).count();
            if (!u.stored()) {
                writes.insert(RECORD_STATE)
                        .set(RECORD_STATE.DISTRICT_ID, districtId)
                        .set(RECORD_STATE.KIND, kind.label())
                        .set(RECORD_STATE.CLEVER_ID, st.cleverId())
                        .set(RECORD_STATE.OUTCOME, st.outcome().name())
                        .set(RECORD_STATE.EFFECTIVE_ROLE, st.effectiveRole())
                        .set(RECORD_STATE.DECISION_HASH, st.decisionHash())
                        .set(RECORD_STATE.RUN_ID, runId)
                        .set(RECORD_STATE.DETAILS, details)
                        .set(RECORD_STATE.WARNINGS, warnings)
                        .set(RECORD_STATE.OUTCOME_RULE, rule)
                        .set(RECORD_STATE.OUTCOME_REASON, reason)
                        .set(RECORD_STATE.OUTCOME_RUN, runId);
            } else {
                var update = ctx.update(RECORD_STATE)
                        .set(RECORD_STATE.EFFECTIVE_ROLE, st.effectiveRole())
                        .set(RECORD_STATE.DECISION_HASH, st.decisionHash())
                        .set(RECORD_STATE.RUN_ID, runId)
                        .set(RECORD_STATE.DETAILS, details)
                        .set(RECORD_STATE.WARNINGS, warnings);
                if (u.previousOutcome() != st.outcome()) {
                    // a new outcome starts here; the same outcome for other reasons keeps the rule and reason it started with
                    update = update.set(RECORD_STATE.OUTCOME, st.outcome().name())
                            .set(RECORD_STATE.OUTCOME_RULE, rule)
                            .set(RECORD_STATE.OUTCOME_REASON, reason)
                            .set(RECORD_STATE.OUTCOME_RUN, runId);
                }
                writes.add(update.where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()),
                        RECORD_STATE.CLEVER_ID.eq(st.cleverId())));
            }
        }
        writes.execute();
    }

    /**
     * The current outcome of each of these records moves to the history before it is replaced. Rows made by store
     * version 1 have no start run: their current outcome is in the history already.
     */
    private void archiveOutcomes(BulkWrites writes, String districtId, RecordKind kind, List<String> ids) {
        for (List<String> chunk : Sql.chunks(ids)) {
            ctx.select(RECORD_STATE.CLEVER_ID, RECORD_STATE.OUTCOME, RECORD_STATE.OUTCOME_RULE, RECORD_STATE.OUTCOME_REASON,
                            RECORD_STATE.OUTCOME_RUN)
                    .from(Sql.joinIds(RECORD_STATE, RECORD_STATE.CLEVER_ID, chunk))
                    .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()), RECORD_STATE.OUTCOME_RUN.isNotNull())
                    .forEach(x -> writes.insert(OUTCOME_HISTORY)
                            .set(OUTCOME_HISTORY.DISTRICT_ID, districtId)
                            .set(OUTCOME_HISTORY.KIND, kind.label())
                            .set(OUTCOME_HISTORY.CLEVER_ID, x.value1())
                            .set(OUTCOME_HISTORY.RUN_ID, x.value5())
                            .set(OUTCOME_HISTORY.OUTCOME, x.value2())
                            .set(OUTCOME_HISTORY.RULE_ID, x.value3())
                            .set(OUTCOME_HISTORY.REASON, x.value4()));
        }
    }

    /**
     * How many of a district's records stand at each outcome, per kind and the rule that started the outcome, and how
     * many warnings their decisions hold.
     */
    public record OutcomeCount(RecordKind kind, Outcome outcome, String ruleId, long count, long warnings) {}

    /**
     * The district's stored outcomes counted per kind, outcome and rule: what a run that decided only what changed
     * reports for the records it did not need to decide again. One aggregate over {@code record_state}.
     */
    private static final org.jooq.Field<java.math.BigDecimal> WARNING_SUM =
            org.jooq.impl.DSL.coalesce(org.jooq.impl.DSL.sum(RECORD_STATE.WARNINGS), java.math.BigDecimal.ZERO);

    public List<OutcomeCount> outcomeCounts(String districtId) {
        return ctx.select(RECORD_STATE.KIND, RECORD_STATE.OUTCOME, RECORD_STATE.OUTCOME_RULE, org.jooq.impl.DSL.count(), WARNING_SUM)
                .from(RECORD_STATE)
                .where(RECORD_STATE.DISTRICT_ID.eq(districtId))
                .groupBy(RECORD_STATE.KIND, RECORD_STATE.OUTCOME, RECORD_STATE.OUTCOME_RULE)
                .fetch(x -> new OutcomeCount(Sql.kindOf(x.value1()), Outcome.valueOf(x.value2()), x.value3(), x.value4(),
                        x.value5().longValue()));
    }

    /** {@link #outcomeCounts(String)} of these records of one kind only. */
    public List<OutcomeCount> outcomeCounts(String districtId, RecordKind kind, java.util.Collection<String> ids) {
        Map<List<String>, long[]> sums = new HashMap<>();
        for (List<String> chunk : Sql.chunks(List.copyOf(ids))) {
            ctx.select(RECORD_STATE.OUTCOME, RECORD_STATE.OUTCOME_RULE, org.jooq.impl.DSL.count(), WARNING_SUM)
                    .from(Sql.joinIds(RECORD_STATE, RECORD_STATE.CLEVER_ID, chunk))
                    .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()))
                    .groupBy(RECORD_STATE.OUTCOME, RECORD_STATE.OUTCOME_RULE)
                    .forEach(x -> {
                        long[] sum = sums.computeIfAbsent(Arrays.asList(x.value1(), x.value2()), k -> new long[2]);
                        sum[0] += x.value3();
                        sum[1] += x.value4().longValue();
                    });
        }
        List<OutcomeCount> out = new ArrayList<>();
        sums.forEach((key, n) -> out.add(new OutcomeCount(kind, Outcome.valueOf(key.get(0)), key.get(1), n[0], n[1])));
        return out;
    }

    public Optional<DecisionState> decisionState(String districtId, RecordKind kind, String cleverId) {
        return ctx.selectFrom(RECORD_STATE)
                .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()), RECORD_STATE.CLEVER_ID.eq(cleverId))
                .fetchOptional(s -> new DecisionState(kind, cleverId, Outcome.valueOf(s.getOutcome()), s.getEffectiveRole(),
                        s.getDecisionHash(), decode(s.getDetails(), new DecisionDetail("OUTCOME", s.getOutcomeRule(), s.getOutcome(),
                                null, null, s.getOutcomeReason()))));
    }

    /** The rule and reason behind the stored outcome of each of these records (by Clever id; absent when not stored). */
    public java.util.Map<String, String[]> outcomeRules(String districtId, RecordKind kind, java.util.Collection<String> cleverIds) {
        java.util.Map<String, String[]> out = new java.util.HashMap<>();
        List<String> ids = List.copyOf(cleverIds);
        for (int i = 0; i < ids.size(); i += 1000) {
            ctx.select(RECORD_STATE.CLEVER_ID, RECORD_STATE.OUTCOME_RULE, RECORD_STATE.OUTCOME_REASON).from(RECORD_STATE)
                    .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()),
                            RECORD_STATE.CLEVER_ID.in(ids.subList(i, Math.min(ids.size(), i + 1000))))
                    .forEach(r -> out.put(r.value1(), new String[] {r.value2(), r.value3()}));
        }
        return out;
    }

    /** The run that last changed a record's decision: the run its rule warnings were found and stored in. */
    public Optional<String> decidedIn(String districtId, RecordKind kind, String cleverId) {
        return ctx.select(RECORD_STATE.RUN_ID).from(RECORD_STATE)
                .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()), RECORD_STATE.CLEVER_ID.eq(cleverId))
                .fetchOptional(RECORD_STATE.RUN_ID);
    }

    /** A record's outcomes across runs, oldest first: the replaced ones, then the current one. */
    public List<HistoryRow> history(String districtId, RecordKind kind, String cleverId) {
        List<HistoryRow> rows = new ArrayList<>(ctx.select(OUTCOME_HISTORY.RUN_ID, SYNC_RUN.STARTED_AT, OUTCOME_HISTORY.OUTCOME,
                        OUTCOME_HISTORY.RULE_ID, OUTCOME_HISTORY.REASON)
                .from(OUTCOME_HISTORY)
                .leftJoin(SYNC_RUN).on(SYNC_RUN.RUN_ID.eq(OUTCOME_HISTORY.RUN_ID))
                .where(OUTCOME_HISTORY.DISTRICT_ID.eq(districtId), OUTCOME_HISTORY.KIND.eq(kind.label()),
                        OUTCOME_HISTORY.CLEVER_ID.eq(cleverId))
                .fetch(x -> new HistoryRow(x.value1(), x.value2(), x.value3(), x.value4(), x.value5())));
        ctx.select(RECORD_STATE.OUTCOME_RUN, SYNC_RUN.STARTED_AT, RECORD_STATE.OUTCOME, RECORD_STATE.OUTCOME_RULE, RECORD_STATE.OUTCOME_REASON)
                .from(RECORD_STATE)
                .leftJoin(SYNC_RUN).on(SYNC_RUN.RUN_ID.eq(RECORD_STATE.OUTCOME_RUN))
                .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(kind.label()), RECORD_STATE.CLEVER_ID.eq(cleverId),
                        RECORD_STATE.OUTCOME_RUN.isNotNull())
                .forEach(x -> rows.add(new HistoryRow(x.value1(), x.value2(), x.value3(), x.value4(), x.value5())));
        rows.sort(Comparator.comparing(HistoryRow::runStartedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(HistoryRow::runId));
        return rows;
    }

    /** The row's stand-in for its outcome line: the first line of {@code details} when outcome_rule and outcome_reason hold it. */
    private static final String OUTCOME_BESIDE = "=";

    /** Whether a decision's first line is its outcome's: what outcome_rule and outcome_reason keep when it starts. */
    private static boolean startsWithItsOutcome(DecisionState st, DecisionDetail why) {
        return why != null && st.details().get(0) == why && why.ruleId() != null && st.outcome().name().equals(why.outcome())
                && why.field() == null && why.value() == null;
    }

    private static String encode(List<DecisionDetail> details, boolean outcomeBeside) {
        List<List<String>> rows = new ArrayList<>();
        if (outcomeBeside) {
            rows.add(List.of(OUTCOME_BESIDE));
        }
        details.forEach(d -> rows.add(Arrays.asList(d.type(), d.ruleId(), d.outcome(), d.field(), StoredText.storable(d.value()),
                StoredText.storable(d.reason()))));
        return TabText.encode(rows);
    }

    private static List<DecisionDetail> decode(String text, DecisionDetail outcomeBeside) {
        List<DecisionDetail> out = new ArrayList<>();
        for (List<String> f : TabText.decode(text)) {
            out.add(f.size() == 1 && OUTCOME_BESIDE.equals(f.get(0)) ? outcomeBeside
                    : new DecisionDetail(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5)));
        }
        return out;
    }
}
