package dev.homeroom.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The result of one run. {@code counts} is keyed by kind label (users, sections, terms, schools, courses);
 * {@code skippedByRule} counts the records each rule decided against; {@code deactivatedByRule} the provisioned records
 * each rule (or {@code engine:gone}) took out of service; {@code guard} says why a safety guard halted
 * the run (null otherwise); {@code rulesHash} identifies the rule files and policies that decided it (it changes when
 * either is edited); {@code planFingerprint} identifies exactly what the run would change, so an approval applies
 * that plan and no other; {@code failure} says why a FAILED run failed and {@code failureCode} is the stable code of that
 * failure when it has one (e.g. {@code HR-SYNC-409}: another run holds the district, retry later);
 * {@code refusedPlugins} has one message per plugin this engine refused to run, with its code and reason;
 * {@code loadedPlugins} one line per plugin it runs: name, version, SPI version and the jar it came from.
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
        String failure,
        String failureCode,
        List<String> refusedPlugins,
        List<String> loadedPlugins) {

    public SyncReport {
        counts = Map.copyOf(counts);
        skippedByRule = Map.copyOf(skippedByRule);
        deactivatedByRule = Map.copyOf(deactivatedByRule);
        refusedPlugins = refusedPlugins == null ? List.of() : List.copyOf(refusedPlugins);
        loadedPlugins = loadedPlugins == null ? List.of() : List.copyOf(loadedPlugins);
    }

    /** A report without a failure code and with no plugins listed. */
    public SyncReport(String runId, String districtId, String districtName, SyncMode mode, SyncStatus status, Instant startedAt,
                      Instant finishedAt, Map<String, KindCounts> counts, long warnings, long errors, Map<String, Long> skippedByRule,
                      Map<String, Long> deactivatedByRule, String guard, String rulesHash, String planFingerprint, String failure) {
        this(runId, districtId, districtName, mode, status, startedAt, finishedAt, counts, warnings, errors, skippedByRule,
                deactivatedByRule, guard, rulesHash, planFingerprint, failure, null, List.of(), List.of());
    }

    /** This report with the code of its failure. */
    public SyncReport withFailureCode(String code) {
        return new SyncReport(runId, districtId, districtName, mode, status, startedAt, finishedAt, counts, warnings, errors,
                skippedByRule, deactivatedByRule, guard, rulesHash, planFingerprint, failure, code, refusedPlugins, loadedPlugins);
    }

    /** This report listing the plugins the engine refused. */
    public SyncReport withRefusedPlugins(List<String> refused) {
        return withPlugins(loadedPlugins, refused);
    }

    /** This report listing the plugins the engine runs and those it refused. */
    public SyncReport withPlugins(List<String> loaded, List<String> refused) {
        return new SyncReport(runId, districtId, districtName, mode, status, startedAt, finishedAt, counts, warnings, errors,
                skippedByRule, deactivatedByRule, guard, rulesHash, planFingerprint, failure, failureCode, refused, loaded);
    }

    public KindCounts counts(String kind) {
        return counts.getOrDefault(kind, KindCounts.ZERO);
    }
}
