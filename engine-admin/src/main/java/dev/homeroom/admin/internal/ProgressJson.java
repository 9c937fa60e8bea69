package dev.homeroom.admin.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.admin.AdminProgress;
import java.util.Optional;

/** The progress page's poll answer: the district's latest run, per kind fetched, decided and counts. */
final class ProgressJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProgressJson() {}

    static String of(Optional<AdminProgress.RunProgress> run) {
        ObjectNode root = JSON.createObjectNode();
        run.ifPresent(r -> {
            root.put("runId", r.runId());
            root.put("mode", r.mode());
            root.put("startedAt", r.startedAt().toString());
            root.put("status", r.status());
            ObjectNode kinds = root.putObject("kinds");
            r.kinds().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
                ObjectNode k = kinds.putObject(e.getKey());
                k.put("fetched", e.getValue().fetched());
                k.put("problems", e.getValue().problems());
                k.put("decided", e.getValue().decided());
                if (e.getValue().counts() != null) {
                    k.put("created", e.getValue().counts().created());
                    k.put("updated", e.getValue().counts().updated());
                    k.put("skipped", e.getValue().counts().skipped());
                    k.put("deactivated", e.getValue().counts().deactivated());
                }
            });
        });
        return root.toString();
    }
}
