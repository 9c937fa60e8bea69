package dev.homeroom.engine;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Why one record ended as it did: {@code explain CLEVER_ID}. {@code provisioned} is the record as the host sees it now
 * (null when nothing was provisioned); for a user with one account per role it holds {@code accounts}.
 */
@API(status = API.Status.STABLE)
public record Explanation(
        String cleverId,
        String districtId,
        String kind,
        String outcome,
        List<String> roles,
        String effectiveRole,
        List<Line> decisions,
        List<Field> fillers,
        List<Field> cleaned,
        List<Warning> warnings,
        Map<String, Object> provisioned,
        List<HistoryEntry> history) {

    @API(status = API.Status.STABLE)
    public record Line(String rule, String outcome, String reason) {}

    @API(status = API.Status.STABLE)
    public record Field(String field, String value, String rule, String reason) {}

    @API(status = API.Status.STABLE)
    public record Warning(String code, String field, String message, String rule, String runId) {}

    @API(status = API.Status.STABLE)
    public record HistoryEntry(String runId, String at, String outcome, String rule, String reason) {}
}
