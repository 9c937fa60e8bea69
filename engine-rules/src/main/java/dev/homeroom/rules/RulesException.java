package dev.homeroom.rules;

import dev.homeroom.spi.HomeroomException;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Rule files could not be read or compiled. {@link #problems()} lists each error with its file, line and column;
 * the message is one line (the first problem and how many more).
 */
@API(status = API.Status.EXPERIMENTAL)
public class RulesException extends HomeroomException {
    /** Rule files did not compile. */
    public static final String COMPILE_FAILED = "HR-RULES-001";
    /** Rule files could not be found or read. */
    public static final String NOT_FOUND = "HR-RULES-002";
    /** A scenario file could not be read or parsed. */
    public static final String BAD_SCENARIO = "HR-RULES-003";
    /** A rules directory holds no rules: with none, every record would be provisioned. */
    public static final String NO_RULES = "HR-RULES-004";

    private final List<RuleProblem> problems;

    public RulesException(String code, String message, List<RuleProblem> problems, Throwable cause) {
        super(code, message, false, cause);
        this.problems = List.copyOf(problems);
    }

    public RulesException(String code, String message) {
        this(code, message, List.of(), null);
    }

    static RulesException compileFailed(List<RuleProblem> problems) {
        String first = problems.isEmpty() ? "unknown error" : problems.get(0).toString();
        String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
        return new RulesException(COMPILE_FAILED, "rules did not compile: " + first + more, problems, null);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
