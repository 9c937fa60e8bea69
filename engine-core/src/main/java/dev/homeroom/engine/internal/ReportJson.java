package dev.homeroom.engine.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.homeroom.engine.KindCounts;
import dev.homeroom.engine.SyncReport;
import java.util.List;

/** The JSON form of a run report: what {@code sync --json} prints and what the store keeps per run (docs/CLI.md). */
public final class ReportJson {
    /** Kinds in the order reports list them. */
    public static final List<String> KINDS = List.of("users", "sections", "terms", "schools", "courses");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private ReportJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode toTree(SyncReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("runId", r.runId());
        root.put("districtId", r.districtId());
        root.put("districtName", r.districtName());
        root.put("mode", r.mode().label());
        root.put("status", r.status().name());
        root.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
        root.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        ObjectNode counts = root.putObject("counts");
        for (String kind : KINDS) {
            KindCounts c = r.counts(kind);
            ObjectNode k = counts.putObject(kind);
            k.put("fetched", c.fetched());
            k.put("created", c.created());
            k.put("updated", c.updated());
            k.put("unchanged", c.unchanged());
            k.put("skipped", c.skipped());
            k.put("deactivated", c.deactivated());
            k.put("reactivated", c.reactivated());
            k.put("errors", c.errors());
        }
        root.put("warnings", r.warnings());
        root.put("errors", r.errors());
        ObjectNode skipped = root.putObject("skippedByRule");
        r.skippedByRule().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> skipped.put(e.getKey(), e.getValue()));
        ObjectNode deactivated = root.putObject("deactivatedByRule");
        r.deactivatedByRule().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> deactivated.put(e.getKey(), e.getValue()));
        root.put("guard", r.guard());
        root.put("rulesHash", r.rulesHash());
        root.put("planFingerprint", r.planFingerprint());
        root.put("failure", r.failure());
        root.put("failureCode", r.failureCode());
        var refused = root.putArray("refusedPlugins");
        r.refusedPlugins().forEach(refused::add);
        var loaded = root.putArray("loadedPlugins");
        r.loadedPlugins().forEach(loaded::add);
        return root;
    }

    public static String toJson(SyncReport r) {
        try {
            return MAPPER.writeValueAsString(toTree(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report always serialises", e);
        }
    }

    /** Reads one field of a stored report, or null. */
    public static String field(String reportJson, String name) {
        if (reportJson == null) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(reportJson).get(name);
            return node == null || node.isNull() ? null : node.asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
