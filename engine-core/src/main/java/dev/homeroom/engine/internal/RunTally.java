package dev.homeroom.engine.internal;

import dev.homeroom.engine.KindCounts;
import dev.homeroom.spi.RecordKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run counted while it went: per kind, the docs/CLI.md counters; per rule, records decided against; and a fingerprint
 * of every change it made, independent of order, so an approval can check it applies the very plan that was halted.
 */
final class RunTally {
    enum Counter { FETCHED, CREATED, UPDATED, UNCHANGED, SKIPPED, DEACTIVATED, REACTIVATED, ERRORS }

    private final Map<RecordKind, long[]> counts = new EnumMap<>(RecordKind.class);
    private final Map<String, Long> skippedByRule = new HashMap<>();
    private final Map<String, Long> deactivatedByRule = new HashMap<>();
    private long warnings;
    private long errors;
    private long fingerprintSum;
    private long fingerprintCount;

    void add(RecordKind kind, Counter counter, long n) {
        counts.computeIfAbsent(kind, k -> new long[Counter.values().length])[counter.ordinal()] += n;
    }

    void skippedBy(String ruleId) {
        skippedBy(ruleId, 1);
    }

    void skippedBy(String ruleId, long n) {
        skippedByRule.merge(ruleId, n, Long::sum);
    }

    void deactivatedBy(String ruleId) {
        deactivatedByRule.merge(ruleId, 1L, Long::sum);
    }

    Map<String, Long> deactivatedByRule() {
        return Map.copyOf(deactivatedByRule);
    }

    void warnings(long n) {
        warnings += n;
    }

    void errors(long n) {
        errors += n;
    }

    long errors() {
        return errors;
    }

    long warnings() {
        return warnings;
    }

    long get(RecordKind kind, Counter counter) {
        long[] c = counts.get(kind);
        return c == null ? 0 : c[counter.ordinal()];
    }

    void change(RecordKind kind, String key, String change) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((kind.label() + '|' + key + '|' + change).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            fingerprintSum += v;
            fingerprintCount++;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    String fingerprint() {
        return Long.toHexString(fingerprintSum) + "-" + fingerprintCount;
    }

    Map<String, KindCounts> kindCounts() {
        Map<String, KindCounts> out = new TreeMap<>();
        for (RecordKind kind : RecordKind.values()) {
            if (kind == RecordKind.DISTRICT) {
                continue;
            }
            long[] c = counts.getOrDefault(kind, new long[Counter.values().length]);
            out.put(kind.path(), new KindCounts(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]));
        }
        return out;
    }

    Map<String, Long> skippedByRule() {
        return Map.copyOf(skippedByRule);
    }
}
