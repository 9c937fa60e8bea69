package dev.homeroom.rules;

import org.apiguardian.api.API;

/**
 * One problem found while compiling rule files, located in the file the author edits.
 *
 * @param file    the rule file's name as given to {@link RuleSet#compile} (e.g. {@code homeroom/rules/classless-users.drl})
 * @param line    1-based line, or 0 when Drools did not say
 * @param column  0-based column as Drools reports it, or 0 when Drools did not say
 */
@API(status = API.Status.EXPERIMENTAL)
public record RuleProblem(String file, int line, int column, String message) {
    public RuleProblem {
        message = message == null ? "" : message;
    }

    /** {@code FILE:LINE:COLUMN: message}, the form {@code rules check} prints and editors link. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
