package dev.homeroom.engine.internal;

import dev.homeroom.engine.internal.RunTally.Counter;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The safety guard's checks of one run (P23): what it would deactivate, kind by kind, against the policies' shares. */
final class RunGuard {
    private final Policies policies;
    private final RunTally tally;

    RunGuard(Policies policies, RunTally tally) {
        this.policies = policies;
        this.tally = tally;
    }

    /**
     * P23: halt before applying when a run would deactivate too large a share of any provisioned kind (accounts,
     * classes, memberships, terms, schools, courses), or a full run got an empty collection that was not empty.
     */
    String guard(Map<RecordKind, Integer> activeBefore, long activeMembershipsBefore, int membershipsDeactivated, boolean full) {
        if (policies.is("sync.strategy", "MANUAL")) {
            return "sync.strategy=MANUAL: every plan waits for a person to approve it, whole or change by change";
        }
        List<SafetyGuard.KindCheck> checks = new ArrayList<>();
        checks.add(check(RecordKind.USER, "accounts", "safety.max_deactivation_ratio", activeBefore));
        checks.add(check(RecordKind.SECTION, "classes", "safety.max_deactivation_ratio.classes", activeBefore));
        // memberships live in classes: a district with too few classes for the classes share has none for its memberships
        boolean fewClasses = activeBefore.getOrDefault(RecordKind.SECTION, 0) < SafetyGuard.MIN_ACTIVE;
        checks.add(new SafetyGuard.KindCheck("sections", "memberships", "safety.max_deactivation_ratio.memberships",
                fewClasses ? 0 : activeMembershipsBefore, membershipsDeactivated, false));
        checks.add(check(RecordKind.TERM, "terms", "safety.max_deactivation_ratio.terms", activeBefore));
        checks.add(check(RecordKind.SCHOOL, "schools", "safety.max_deactivation_ratio.schools", activeBefore));
        checks.add(check(RecordKind.COURSE, "courses", "safety.max_deactivation_ratio.courses", activeBefore));
        return SafetyGuard.check(checks, full, policies);
    }

    private SafetyGuard.KindCheck check(RecordKind kind, String noun, String policyKey, Map<RecordKind, Integer> activeBefore) {
        return new SafetyGuard.KindCheck(kind.path(), noun, policyKey, activeBefore.getOrDefault(kind, 0),
                tally.get(kind, Counter.DEACTIVATED), tally.get(kind, Counter.FETCHED) == 0);
    }
}
