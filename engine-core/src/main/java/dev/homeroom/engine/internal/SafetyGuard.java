package dev.homeroom.engine.internal;

import dev.homeroom.spi.Policies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * P23: whether a run must halt before applying, for every kind a host provisions. A run halts when it would deactivate
 * more than the kind's share of its active rows ({@code safety.max_deactivation_ratio} for accounts,
 * {@code safety.max_deactivation_ratio.<kind>} for the others), or when a full run got an empty collection of a kind
 * that has active rows (sharing revoked, or an outage that looks like an empty district). Below {@link #MIN_ACTIVE}
 * active rows of a kind the ratio does not apply: a handful of changes is not an outage.
 */
final class SafetyGuard {
    static final int MIN_ACTIVE = 10;

    /** One provisioned kind as the guard sees it: what was active before the run, what the run would take away. */
    record KindCheck(String collection, String noun, String policyKey, long activeBefore, long deactivated, boolean collectionEmpty) {}

    private SafetyGuard() {}

    /** Why the run must halt (each reason a clause), or null. */
    static String check(List<KindCheck> kinds, boolean fullRun, Policies policies) {
        List<String> reasons = new ArrayList<>();
        for (KindCheck k : kinds) {
            if (fullRun && k.collectionEmpty() && k.activeBefore() > 0) {
                reasons.add("Clever sent no " + k.collection() + " while " + k.activeBefore() + " " + k.noun()
                        + " are active (sharing revoked or an outage?)");
                continue;
            }
            String limit = policies.get(k.policyKey(), "0.2");
            double max = policies.getDouble(k.policyKey(), 0.2);
            if (k.activeBefore() >= MIN_ACTIVE && k.deactivated() > max * k.activeBefore()) {
                reasons.add(String.format(Locale.ROOT, "this run would deactivate %d of %d active %s (%.0f%%), above %s=%s",
                        k.deactivated(), k.activeBefore(), k.noun(), 100.0 * k.deactivated() / k.activeBefore(), k.policyKey(), limit));
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }
}
