package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.homeroom.engine.Explanation;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Assertions on one record of a {@link GoldenRoster} run, read from {@code SyncEngine.explain}: its outcome and the
 * rules behind it, its warnings and fillers, and the values the host sees. Each failure is an {@link AssertionError}
 * that says what was expected and what the engine decided, with its reasons.
 */
@API(status = EXPERIMENTAL)
public final class RecordAssert {
    private final String kind;
    private final String cleverId;
    private final Explanation explanation;
    private final String context;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    RecordAssert(String kind, String cleverId, Explanation explanation, String context) {
        this.kind = kind;
        this.cleverId = cleverId;
        this.explanation = explanation;
        this.context = context;
        if (explanation == null) {
            throw new AssertionError(kind + " " + cleverId + ": the store has no such record (" + context + ")");
        }
        if (kind != null && !kind.equals(explanation.kind())) {
            throw new AssertionError(kind + " " + cleverId + ": is a " + explanation.kind() + ", not a " + kind);
        }
    }

    /** Everything {@code explain} says about the record. */
    public Explanation explanation() {
        return explanation;
    }

    public RecordAssert hasOutcome(String outcome) {
        if (!outcome.equals(explanation.outcome())) {
            fail("expected " + outcome + ", was " + decided());
        }
        return this;
    }

    public RecordAssert isProvisioned() {
        return hasOutcome("PROVISIONED");
    }

    public RecordAssert isSkipped() {
        return hasOutcome("SKIPPED");
    }

    public RecordAssert isDeactivated() {
        return hasOutcome("DEACTIVATED");
    }

    /** Skipped, and {@code ruleId} is among the rules that decided it so. */
    public RecordAssert isSkippedBy(String ruleId) {
        return hasOutcomeBy("SKIPPED", ruleId);
    }

    /** Ended as {@code outcome}, and {@code ruleId} decided that outcome for it. */
    public RecordAssert hasOutcomeBy(String outcome, String ruleId) {
        boolean byRule = explanation.decisions().stream().anyMatch(l -> ruleId.equals(l.rule()) && outcome.equals(l.outcome()));
        if (!outcome.equals(explanation.outcome()) || !byRule) {
            fail("expected " + outcome + " by " + ruleId + ", was " + decided());
        }
        return this;
    }

    /** Some decision line of {@code ruleId} (an outcome, a role, a flag) is on the record. */
    public RecordAssert isDecidedBy(String ruleId) {
        if (explanation.decisions().stream().noneMatch(l -> ruleId.equals(l.rule()))) {
            fail("expected a decision by " + ruleId + ", was " + decided());
        }
        return this;
    }

    /** The host sees {@code field} with this value (compared as text; {@code null} for a missing or empty value). */
    public RecordAssert hasValue(String field, Object expected) {
        if (explanation.provisioned() == null) {
            fail("expected " + field + " = " + expected + ", but nothing is provisioned: " + decided());
        }
        Object actual = explanation.provisioned().get(field);
        if (!Objects.equals(expected == null ? null : String.valueOf(expected), actual == null ? null : String.valueOf(actual))) {
            fail("expected " + field + " = " + expected + ", was " + (explanation.provisioned().containsKey(field) ? actual
                    : "absent (fields: " + String.join(", ", explanation.provisioned().keySet()) + ")"));
        }
        return this;
    }

    /**
     * The account carries this supplemental value of a plugin (SPI 1.2), e.g. {@code hasSupplemental("licenses",
     * "license_code", "MATH-7")}: "account X has license L". Read from the account's {@code supplemental} column.
     */
    public RecordAssert hasSupplemental(String plugin, String name, String expected) {
        if (explanation.provisioned() == null) {
            fail("expected " + plugin + " " + name + " = " + expected + ", but nothing is provisioned: " + decided());
        }
        Object column = explanation.provisioned().get("supplemental");
        String actual = null;
        if (column != null) {
            try {
                com.fasterxml.jackson.databind.JsonNode v = JSON.readTree(column.toString()).path(plugin).path(name);
                actual = v.isMissingNode() || v.isNull() ? null : v.asText();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                fail("its supplemental column is not JSON: " + column);
            }
        }
        if (!Objects.equals(expected, actual)) {
            fail("expected " + plugin + " " + name + " = " + expected + ", was " + actual + " (supplemental: " + column + ")");
        }
        return this;
    }

    /** A warning with this code is on the record. */
    public RecordAssert hasWarning(String code) {
        if (explanation.warnings().stream().noneMatch(w -> code.equals(w.code()))) {
            fail("expected a warning " + code + ", has " + warnings());
        }
        return this;
    }

    /** A warning with this code, raised by this rule, is on the record. */
    public RecordAssert hasWarning(String code, String ruleId) {
        if (explanation.warnings().stream().noneMatch(w -> code.equals(w.code()) && ruleId.equals(w.rule()))) {
            fail("expected a warning " + code + " by " + ruleId + ", has " + warnings());
        }
        return this;
    }

    public RecordAssert hasNoWarning(String code) {
        if (explanation.warnings().stream().anyMatch(w -> code.equals(w.code()))) {
            fail("expected no warning " + code + ", has " + warnings());
        }
        return this;
    }

    /** A filler (a temporary value standing for missing data) stands in {@code field}. */
    public RecordAssert hasFiller(String field) {
        if (explanation.fillers().stream().noneMatch(f -> field.equals(f.field()))) {
            fail("expected a filler for " + field + ", has " + (explanation.fillers().isEmpty() ? "none"
                    : explanation.fillers().stream().map(f -> f.field() + "=" + f.value() + " (" + f.rule() + ")").collect(Collectors.joining(", "))));
        }
        return this;
    }

    private String decided() {
        return explanation.outcome() + (explanation.decisions().isEmpty() ? " (no rule decided it)" : " by "
                + explanation.decisions().stream().map(l -> l.rule() + " " + l.outcome() + " \"" + l.reason() + "\"")
                .collect(Collectors.joining("; ")));
    }

    private String warnings() {
        return explanation.warnings().isEmpty() ? "none" : explanation.warnings().stream()
                .map(w -> w.code() + (w.rule() == null ? "" : " by " + w.rule())).collect(Collectors.joining(", "));
    }

    private void fail(String message) {
        throw new AssertionError((kind == null ? explanation.kind() : kind) + " " + cleverId + ": " + message);
    }
}
