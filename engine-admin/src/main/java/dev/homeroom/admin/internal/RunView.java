package dev.homeroom.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.RunInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run as its page shows it: the stored report read into counts per kind, rule tallies, the guard and the hashes. */
public record RunView(RunInfo run, String districtName, List<KindRow> kinds, Map<String, Long> skippedByRule,
                      Map<String, Long> deactivatedByRule, String guard, String rulesHash, String planFingerprint, String failure,
                      String duration) {
    static final List<String> COLUMNS = List.of("fetched", "created", "updated", "unchanged", "skipped", "deactivated", "reactivated", "errors");
    private static final ObjectMapper JSON = new ObjectMapper();

    public record KindRow(String kind, List<Long> values) {}

    public static List<String> columns() {
        return COLUMNS;
    }

    public boolean halted() {
        return "HALTED".equals(run.status());
    }

    static RunView of(RunInfo run) {
        JsonNode report;
        try {
            report = run.reportJson() == null ? JSON.createObjectNode() : JSON.readTree(run.reportJson());
        } catch (java.io.IOException e) {
            report = JSON.createObjectNode();
        }
        List<KindRow> kinds = new ArrayList<>();
        report.path("counts").fields().forEachRemaining(e -> {
            List<Long> values = new ArrayList<>();
            COLUMNS.forEach(c -> values.add(e.getValue().path(c).asLong()));
            kinds.add(new KindRow(e.getKey(), values));
        });
        String duration = run.startedAt() == null || run.finishedAt() == null ? "" : human(Duration.between(run.startedAt(), run.finishedAt()));
        return new RunView(run, text(report, "districtName"), kinds, tally(report.path("skippedByRule")),
                tally(report.path("deactivatedByRule")), text(report, "guard"), text(report, "rulesHash"), text(report, "planFingerprint"),
                text(report, "failure"), duration);
    }

    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    /** A moment as the pages print it: to the second, in UTC. */
    public static String when(java.time.Instant t) {
        return t == null ? "" : WHEN.format(t);
    }

    public String started() {
        return when(run.startedAt());
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : ms < 120_000 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0)
                : (ms / 60_000) + " min " + (ms / 1000 % 60) + " s";
    }

    private static Map<String, Long> tally(JsonNode node) {
        Map<String, Long> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
