package dev.homeroom.rules;

import dev.homeroom.rules.internal.Scenario;
import dev.homeroom.rules.internal.ScenarioParser;
import dev.homeroom.spi.AccountFlag;
import dev.homeroom.spi.CleanedValue;
import dev.homeroom.spi.DataWarning;
import dev.homeroom.spi.Decision;
import dev.homeroom.spi.Filler;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RoleDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Runs rule scenarios: given Clever records and policies, expect decisions. One scenario per file
 * ({@code *.scenario}, UTF-8). The rules module's own tests use this format; copy them to start.
 *
 * <pre>
 * # a comment
 * scenario: a classless student is skipped by default     (the name printed; optional)
 * district d1                                             (Clever district id of every record; default district-1)
 * policy classless.students = SKIP                        (policy overrides, checked like the policies file)
 *
 * user u1 roles=student student_sections=0 first="Ana María" last=Núñez dob=
 * user u2 roles=teacher,staff teacher_sections=2
 * section s1 name= course_name=Algebra teacher_last=Smith period=3 term_shared=false
 * term t1 change=GONE
 * school sch1 change=GONE
 * course c1 sections=0
 * duplicate u2 field=email first=u1                       (u2 repeats u1's email; u1 keeps it)
 * selected s1                                            (an admin selected section s1 to load: P22 STAGING)
 *
 * expect user u1 outcome=SKIPPED rule=P1-SKIP-CLASSLESS-STUDENT
 * expect user u2 role=staff grants=staff,teacher not-rule=P1-SKIP-CLASSLESS-TEACHER warnings=none
 * expect user u1 filler.dob=* warning=DOB_MISSING cleaned.first="Ana María"
 * </pre>
 *
 * Records get plausible defaults for anything a line leaves out (a student is in one section, has a dob, grade 7,
 * an email, names, a school), so a scenario names only what it is about; {@code key=} (empty) means Clever sent
 * nothing for that field. Values with spaces are quoted; escapes {@code \n \t \r \0 \" \\ \\uXXXX};
 * {@code repeat:N:TEXT} is TEXT written N times. Record fields: user {@value #USER_FIELDS}; section
 * {@value #SECTION_FIELDS}; term name start end sections change previous; school name change previous; course name
 * number sections change previous. {@code change} is CREATED, UPDATED, UNCHANGED (default) or GONE; {@code
 * previous} is the last run's outcome.
 * <p>
 * Checks on an {@code expect} line (all must hold): {@code outcome=} the resolved outcome (highest weight, or
 * PROVISIONED when no rule decided); {@code rule=ID} / {@code not-rule=ID} the rule did / did not insert anything
 * about this record; {@code decisions=none}; {@code role=} the effective role; {@code roles=a,b} the effective roles
 * of all the record's accounts; {@code grants=a,b}; {@code separate=true|false}; {@code filler.FIELD=VALUE|*},
 * {@code no-filler=FIELD}; {@code cleaned.FIELD=VALUE|*}, {@code no-cleaned=FIELD}; {@code warning=CODE},
 * {@code no-warning=CODE}, {@code warnings=none}; {@code flag=FLAG}, {@code no-flag=FLAG}.
 * Besides the expectations, every rule id a rule inserted must be the {@code @id} of a compiled rule.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ScenarioRunner {
    static final String USER_FIELDS = "roles change previous student_sections teacher_sections section_schools "
            + "duplicate_email duplicate_sis_id first middle last email dob grade graduation_year sis_id school schools "
            + "staff_schools iep_status ell_status frl_status disability gifted_status section_504_status race "
            + "hispanic_ethnicity home_language";
    static final String SECTION_FIELDS = "name course course_name teacher teacher_last period grade subject school term "
            + "term_shared students teachers change previous display_name_edited sis_id";

    private ScenarioRunner() {}

    /**
     * Runs one scenario file against compiled rules and base policies (the scenario's {@code policy} lines and its
     * district's overrides are applied on top).
     *
     * @throws RulesException when the file cannot be read or parsed ({@code FILE:LINE: message})
     */
    public static ScenarioResult run(RuleSet rules, Policies base, Path scenarioFile) {
        String text;
        try {
            text = Files.readString(scenarioFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RulesException(RulesException.BAD_SCENARIO, "cannot read scenario " + scenarioFile + ": " + e.getMessage());
        }
        return run(rules, base, scenarioFile.toString(), text);
    }

    /** Runs scenario text; {@code fileName} is used in messages. */
    public static ScenarioResult run(RuleSet rules, Policies base, String fileName, String text) {
        Scenario scenario = ScenarioParser.parse(fileName, text);
        Policies policies = base.with(scenario.policyOverrides()).forDistrict(scenario.districtId());
        Decisions d = rules.evaluate(scenario.facts(), policies);
        List<String> failures = new ArrayList<>();
        for (Scenario.Expectation e : scenario.expectations()) {
            String problem = check(d, e);
            if (problem != null) {
                failures.add(fileName + ":" + e.line() + ": " + e.key() + "=" + e.value() + " for " + e.kind().label()
                        + " " + e.cleverId() + ": " + problem);
            }
        }
        Set<String> known = rules.rules().stream().map(RuleInfo::id).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        d.decisions().forEach(x -> unknownId(x.ruleId(), known, unknown));
        d.roles().forEach(x -> unknownId(x.ruleId(), known, unknown));
        d.fillers().forEach(x -> unknownId(x.ruleId(), known, unknown));
        d.cleanedValues().forEach(x -> unknownId(x.ruleId(), known, unknown));
        d.warnings().forEach(x -> unknownId(x.ruleId(), known, unknown));
        d.flags().forEach(x -> unknownId(x.ruleId(), known, unknown));
        for (String id : unknown) {
            failures.add(fileName + ": a rule inserted rule id " + id + ", but no compiled rule has @id(\"" + id + "\")");
        }
        return new ScenarioResult(scenario.name(), failures.isEmpty(), failures);
    }

    private static void unknownId(String id, Set<String> known, Set<String> unknown) {
        if (id != null && !id.startsWith("engine:") && !known.contains(id)) {
            unknown.add(id);
        }
    }

    private static String check(Decisions d, Scenario.Expectation e) {
        RecordKind kind = e.kind();
        String id = e.cleverId();
        String v = e.value();
        List<Decision> decisions = d.decisions().stream().filter(x -> x.kind() == kind && x.cleverId().equals(id)).toList();
        List<RoleDecision> roles = kind == RecordKind.USER
                ? d.roles().stream().filter(x -> id.equals(x.cleverId())).toList() : List.of();
        List<Filler> fillers = d.fillers().stream().filter(x -> x.kind() == kind && id.equals(x.cleverId())).toList();
        List<CleanedValue> cleaned = d.cleanedValues().stream().filter(x -> x.kind() == kind && id.equals(x.cleverId())).toList();
        List<DataWarning> warnings = d.warnings().stream().filter(x -> x.kind() == kind && id.equals(x.cleverId())).toList();
        List<AccountFlag> flags = kind == RecordKind.USER
                ? d.flags().stream().filter(x -> id.equals(x.cleverId())).toList() : List.of();
        String key = e.key();
        switch (key) {
            case "outcome": {
                Outcome want = Outcome.valueOf(v.toUpperCase(java.util.Locale.ROOT));
                Outcome got = d.outcomeOf(kind, id);
                return got == want ? null : "was " + got + " " + describe(decisions);
            }
            case "rule":
            case "not-rule": {
                Set<String> fired = new HashSet<>();
                decisions.forEach(x -> fired.add(x.ruleId()));
                roles.forEach(x -> fired.add(x.ruleId()));
                fillers.forEach(x -> fired.add(x.ruleId()));
                cleaned.forEach(x -> fired.add(x.ruleId()));
                warnings.forEach(x -> fired.add(x.ruleId()));
                flags.forEach(x -> fired.add(x.ruleId()));
                boolean has = fired.contains(v);
                if (key.equals("rule")) {
                    return has ? null : "the rule did not fire for it; rules that did: " + new TreeSet<>(fired);
                }
                return has ? "the rule fired for it" : null;
            }
            case "decisions":
                return decisions.isEmpty() ? null : "there were decisions " + describe(decisions);
            case "role": {
                if (roles.size() != 1) {
                    return "expected one account, there were " + roles.size() + " role decisions " + roles;
                }
                return Objects.equals(roles.get(0).effectiveRole(), v) ? null : "effective role was " + roles.get(0).effectiveRole();
            }
            case "roles": {
                Set<String> want = new TreeSet<>(split(v));
                Set<String> got = roles.stream().map(RoleDecision::effectiveRole).collect(Collectors.toCollection(TreeSet::new));
                return want.equals(got) && roles.size() == want.size() ? null : "effective roles were " + got;
            }
            case "grants": {
                if (roles.size() != 1) {
                    return "expected one account, there were " + roles.size();
                }
                Set<String> want = new TreeSet<>(split(v));
                Set<String> got = new TreeSet<>(roles.get(0).grantedRoles());
                return want.equals(got) ? null : "grants were " + got;
            }
            case "separate": {
                boolean want = Boolean.parseBoolean(v);
                if (roles.isEmpty()) {
                    return "no role decision";
                }
                return roles.stream().allMatch(r -> r.separateAccount() == want) ? null : "role decisions were " + roles;
            }
            case "no-filler":
                return fillers.stream().noneMatch(f -> f.field().equals(v)) ? null : "fillers were " + fillers;
            case "no-cleaned":
                return cleaned.stream().noneMatch(c -> c.field().equals(v)) ? null : "cleaned values were " + cleaned;
            case "warning":
                return warnings.stream().anyMatch(w -> w.code().equals(v)) ? null : "warnings were " + codes(warnings);
            case "no-warning":
                return warnings.stream().noneMatch(w -> w.code().equals(v)) ? null : "warnings were " + codes(warnings);
            case "warnings":
                if (!v.equals("none")) {
                    return "write warnings=none, or warning=CODE per code";
                }
                return warnings.isEmpty() ? null : "warnings were " + codes(warnings);
            case "flag":
                return flags.stream().anyMatch(f -> f.flag().equals(v)) ? null : "flags were " + flags.stream().map(AccountFlag::flag).toList();
            case "no-flag":
                return flags.stream().noneMatch(f -> f.flag().equals(v)) ? null : "flags were " + flags.stream().map(AccountFlag::flag).toList();
            default:
                break;
        }
        if (key.startsWith("filler.")) {
            String field = key.substring("filler.".length());
            List<Filler> f = fillers.stream().filter(x -> x.field().equals(field)).toList();
            if (f.isEmpty()) {
                return "no filler for " + field + (fillers.isEmpty() ? "" : "; fillers were " + fillers);
            }
            return v.equals("*") || f.stream().anyMatch(x -> v.equals(x.value())) ? null
                    : "filler was " + f.stream().map(x -> quote(x.value())).toList();
        }
        if (key.startsWith("cleaned.")) {
            String field = key.substring("cleaned.".length());
            List<CleanedValue> c = cleaned.stream().filter(x -> x.field().equals(field)).toList();
            if (c.isEmpty()) {
                return "no cleaned value for " + field + (cleaned.isEmpty() ? "" : "; cleaned values were " + cleaned);
            }
            return v.equals("*") || c.stream().anyMatch(x -> v.equals(x.value())) ? null
                    : "cleaned value was " + c.stream().map(x -> quote(x.value())).toList();
        }
        return "unknown check " + key;
    }

    private static List<String> split(String v) {
        return java.util.Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> codes(List<DataWarning> warnings) {
        return warnings.stream().map(DataWarning::code).toList();
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 60 ? s.substring(0, 60) + "…(" + s.length() + " chars)" : s;
        return "\"" + shown.replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    private static String describe(List<Decision> decisions) {
        if (decisions.isEmpty()) {
            return "(no rule decided it: engine default)";
        }
        return decisions.stream().map(x -> x.outcome() + " by " + x.ruleId()).collect(Collectors.joining(", ", "(", ")"));
    }
}
