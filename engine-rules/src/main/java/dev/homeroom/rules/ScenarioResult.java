package dev.homeroom.rules;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The result of one scenario file.
 *
 * @param name      the scenario's {@code scenario:} line, or its file name
 * @param failures  one line per unmet expectation: {@code FILE:LINE: expect ...: what happened instead}
 */
@API(status = API.Status.EXPERIMENTAL)
public record ScenarioResult(String name, boolean passed, List<String> failures) {
    public ScenarioResult {
        failures = List.copyOf(failures);
    }

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + name + (failures.isEmpty() ? "" : "\n  " + String.join("\n  ", failures));
    }
}
