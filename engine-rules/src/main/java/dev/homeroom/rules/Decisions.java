package dev.homeroom.rules;

import dev.homeroom.spi.AccountFlag;
import dev.homeroom.spi.CleanedValue;
import dev.homeroom.spi.DataWarning;
import dev.homeroom.spi.Decision;
import dev.homeroom.spi.Filler;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RoleDecision;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What the rules inserted for one batch of facts, in the order they were inserted. Immutable.
 * The pipeline resolves outcomes: no decision means PROVISIONED ({@code engine:default}); several mean the
 * highest {@link Outcome#weight()} wins ({@link #outcomeOf}).
 */
@API(status = API.Status.EXPERIMENTAL)
public record Decisions(List<Decision> decisions, List<RoleDecision> roles, List<Filler> fillers,
                        List<CleanedValue> cleanedValues, List<DataWarning> warnings, List<AccountFlag> flags) {

    public static final Decisions EMPTY = new Decisions(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** The rule id the pipeline records when no rule decided a record. */
    public static final String DEFAULT_RULE_ID = "engine:default";

    public Decisions {
        decisions = List.copyOf(decisions);
        roles = List.copyOf(roles);
        fillers = List.copyOf(fillers);
        cleanedValues = List.copyOf(cleanedValues);
        warnings = List.copyOf(warnings);
        flags = List.copyOf(flags);
    }

    public int size() {
        return decisions.size() + roles.size() + fillers.size() + cleanedValues.size() + warnings.size() + flags.size();
    }

    /** The winning decision for one record (highest weight, first inserted on a tie), if any rule decided it. */
    public Optional<Decision> winning(RecordKind kind, String cleverId) {
        Decision best = null;
        for (Decision d : decisions) {
            if (d.kind() == kind && d.cleverId().equals(cleverId)
                    && (best == null || d.outcome().weight() > best.outcome().weight())) {
                best = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The resolved outcome of one record: the winning decision's, or PROVISIONED when no rule decided it. */
    public Outcome outcomeOf(RecordKind kind, String cleverId) {
        return winning(kind, cleverId).map(Decision::outcome).orElse(Outcome.PROVISIONED);
    }
}
