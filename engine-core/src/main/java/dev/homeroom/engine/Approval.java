package dev.homeroom.engine;

import java.time.Instant;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A decision a person took on a halted run: {@code decision} is {@code WHOLE} (its plan approved whole),
 * {@code SELECTED} (the changes {@code changeIds} approved, the others left pending) or {@code REJECTED}. {@code approver}
 * is who the host said it was (the console's {@code AdminAuthorizer} principal, the CLI's OS user or {@code --as});
 * {@code resultRunId} and {@code resultStatus} the run an approval started and how it ended (null for a rejection).
 */
@API(status = API.Status.EXPERIMENTAL)
public record Approval(String runId, String districtId, String approver, Instant decidedAt, String decision, List<String> changeIds,
                       String resultRunId, String resultStatus) {
    public Approval {
        changeIds = List.copyOf(changeIds);
    }

    public static final String WHOLE = "WHOLE";
    public static final String SELECTED = "SELECTED";
    public static final String REJECTED = "REJECTED";
}
