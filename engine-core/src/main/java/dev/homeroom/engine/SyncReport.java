package dev.homeroom.engine;

import java.time.Instant;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The result of one run. {@code counts} is keyed by kind label (users, sections, terms, schools, courses);
 * {@code skippedByRule} counts the records each rule decided against; {@code deactivatedByRule} the provisioned records
 * each rule (or {@code engine:gone}) took out of service; {@code guard} says why a safety guard halted
 * the run (null otherwise); {@code rulesHash} identifies the rule files and policies that decided it (it changes when
 * either is edited); {@code planFingerprint} identifies exactly what the run would change, so an approval applies
 * that plan and no other.
 */
@API(status = API.Status.STABLE)
public record SyncReport(
        String runId,
        String districtId,
        String districtName,
        SyncMode mode,
        SyncStatus status,
        Instant startedAt,
        Instant finishedAt,
        Map<String, KindCounts> counts,
        long warnings,
        long errors,
        Map<String, Long> skippedByRule,
        Map<String, Long> deactivatedByRule,
        String guard,
        String rulesHash,
        String planFingerprint,
        String failure) {

    public SyncReport {
        counts = Map.copyOf(counts);
        skippedByRule = Map.copyOf(skippedByRule);
        deactivatedByRule = Map.copyOf(deactivatedByRule);
    }

    public KindCounts counts(String kind) {
        return counts.getOrDefault(kind, KindCounts.ZERO);
    }
}
