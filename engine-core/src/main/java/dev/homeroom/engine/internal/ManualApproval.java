package dev.homeroom.engine.internal;

import dev.homeroom.engine.internal.RunTally.Counter;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.RevertStore;
import dev.homeroom.store.StoreSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * P21 MANUAL, change by change (issue 10 item 2): a run that applies the changes a person picked from a halted plan. The
 * run computes its plan again from Clever's data; every approved change must be in it with the same id (an id covers the
 * change's values, so an approval applies what was reviewed), or nothing is applied and the run halts again. The changes
 * not approved are taken back inside the run's transaction, so they are still to do and show in the next plan.
 */
final class ManualApproval {
    /** A MANUAL plan with more changes than this is not listed (it would not fit in memory): it is approved whole. */
    static final int MAX_LISTED = 200_000;
    /** How many approved ids a message names before it says "…". */
    private static final int NAMED = 5;

    private ManualApproval() {}

    /** Whether the approved changes apply, and a sentence saying what happened. */
    record Outcome(boolean applies, String note) {}

    static Outcome apply(StoreSession s, String districtId, String runId, String approvedRunId, Set<String> approved, RunTally tally) {
        List<RevertStore.RowChange> planned = s.reverts().changesOf(districtId, runId, MAX_LISTED);
        if (planned == null) {
            return new Outcome(false, "the plan computed again has more than " + MAX_LISTED + " changes (the data changed a lot since run "
                    + approvedRunId + "): review this run and approve it whole");
        }
        Set<String> plannedIds = new HashSet<>();
        planned.forEach(c -> plannedIds.add(c.id()));
        List<String> missing = approved.stream().filter(id -> !plannedIds.contains(id)).sorted().toList();
        if (!missing.isEmpty()) {
            return new Outcome(false, missing.size() + " of the " + approved.size() + " approved changes of run " + approvedRunId
                    + " are no longer planned as they were reviewed (" + String.join(", ", missing.subList(0, Math.min(NAMED, missing.size())))
                    + (missing.size() > NAMED ? ", …" : "") + "): the data changed since, so review this run's changes and approve again");
        }
        List<RevertStore.RowChange> held = new ArrayList<>();
        planned.forEach(c -> {
            if (!approved.contains(c.id())) {
                held.add(c);
            }
        });
        List<RevertStore.RowChange> undone = s.reverts().undo(districtId, runId, held);
        for (RevertStore.RowChange c : undone) {
            if (c.entity().equals(RevertStore.MEMBERSHIP)) {
                continue;
            }
            RecordKind kind = RecordKind.valueOf(c.entity().toUpperCase(java.util.Locale.ROOT));
            tally.add(kind, switch (c.change()) {
                case CREATED -> Counter.CREATED;
                case REACTIVATED -> Counter.REACTIVATED;
                case DEACTIVATED -> Counter.DEACTIVATED;
                default -> Counter.UPDATED;
            }, -1);
        }
        Set<String> heldIds = new HashSet<>();
        held.forEach(c -> heldIds.add(c.id()));
        long followed = undone.stream().filter(c -> !heldIds.contains(c.id())).count();
        return new Outcome(true, "applied " + (planned.size() - undone.size()) + " of the " + planned.size() + " planned changes of run "
                + approvedRunId + "; " + undone.size() + " stay pending and show in the next plan"
                + (followed > 0 ? " (" + followed + " of them memberships whose class or account change was not approved)" : ""));
    }
}
