package dev.homeroom.rules.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.rules.Decisions;
import dev.homeroom.rules.PolicyCatalog;
import dev.homeroom.rules.PolicyFile;
import dev.homeroom.rules.RuleFiles;
import dev.homeroom.rules.RuleSet;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.Name;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.Section;
import dev.homeroom.spi.SectionFact;
import dev.homeroom.spi.User;
import dev.homeroom.spi.UserFact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Bad data never breaks a batch: every record with an id is decided, whatever its fields hold, under any policy. */
class MalformedFactsPropertyTest {
    static final RuleSet RULES = RuleSet.compile(RuleFiles.defaults());
    static final Policies DEFAULTS = PolicyFile.defaults();

    @Property(tries = 60)
    void everyUserAndSectionIsDecidedAndNothingThrows(@ForAll("users") @Size(max = 40) List<UserFact> users,
                                                      @ForAll("sections") @Size(max = 20) List<SectionFact> sections,
                                                      @ForAll("policies") Policies policies) {
        List<Object> facts = new ArrayList<>(users);
        facts.addAll(sections);
        Decisions d = RULES.evaluate(facts, policies);
        for (UserFact u : users) {
            boolean decided = d.roles().stream().anyMatch(r -> r.cleverId().equals(u.id()))
                    || d.decisions().stream().anyMatch(x -> x.kind() == RecordKind.USER && x.cleverId().equals(u.id()));
            assertThat(decided).as("user %s got a role or a decision", u.id()).isTrue();
            assertThat(d.decisions()).noneMatch(x -> x.cleverId().equals(u.id()) && x.ruleId().equals("engine:rule-error"));
        }
        for (SectionFact s : sections) {
            assertThat(d.decisions()).noneMatch(x -> x.cleverId().equals(s.id()) && x.ruleId().equals("engine:rule-error"));
        }
        // every cleaned text value is clean and within its limit
        d.cleanedValues().stream().filter(c -> c.value() != null && c.field().startsWith("name"))
                .forEach(c -> assertThat(dev.homeroom.rules.FieldText.needsCleaning(c.value())).as(c.toString()).isFalse());
    }

    @Provide
    Arbitrary<Policies> policies() {
        List<Arbitrary<Map.Entry<String, String>>> choices = new ArrayList<>();
        for (PolicyCatalog.Entry e : PolicyCatalog.entries()) {
            if (e.type() == PolicyCatalog.Type.CHOICE) {
                choices.add(Arbitraries.of(e.allowed()).map(v -> Map.entry(e.key(), v)));
            }
        }
        return Combinators.combine(choices).as(entries -> {
            Map<String, String> m = new java.util.HashMap<>();
            entries.forEach(en -> m.put(en.getKey(), en.getValue()));
            return DEFAULTS.with(m);
        });
    }

    static Arbitrary<String> nastyText() {
        return Arbitraries.oneOf(
                Arbitraries.just((String) null),
                Arbitraries.just(""),
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withChars('\u0000', '\u0007', '\t', '\n', ' ', '\uD800', '\uFFFF', 'é', 'ñ').ofMaxLength(12),
                Arbitraries.just("😀 Zoë O'Brien-Núñez "),
                Arbitraries.strings().alpha().ofLength(10_000),
                Arbitraries.of("1/1/2010", "13/45/2010", "2010-02-30", "yesterday", "0/0/0", "12/31/99999"));
    }

    @Provide
    Arbitrary<List<UserFact>> users() {
        Arbitrary<UserFact> user = Combinators.combine(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8),
                nastyText(), nastyText(), nastyText(),
                Arbitraries.integers().between(0, 31),
                Arbitraries.of(Change.values()),
                Arbitraries.integers().between(-1, 5),
                nastyText()).as((id, first, last, email, roleBits, change, sections, dob) -> {
                    User.Student student = (roleBits & 1) != 0 ? new User.Student(null, null, dob, dob, null, null, null, first,
                            last, null, null, null, null, null, null, null, email, null, null, null, null, null, null, null,
                            first, null, null) : null;
                    User.Teacher teacher = (roleBits & 2) != 0 ? new User.Teacher(null, null, null, null, null, null, null, null,
                            null, null, null, null, null) : null;
                    User.Staff staff = (roleBits & 4) != 0 ? new User.Staff(null, null, null, null, null, null, null, null) : null;
                    User.DistrictAdmin admin = (roleBits & 8) != 0 ? new User.DistrictAdmin(null, null) : null;
                    User.Contact contact = (roleBits & 16) != 0 ? new User.Contact(null, null, null, null, null) : null;
                    User u = new User("u-" + id, null, email, new Name(first, email, last), null, null,
                            new User.Roles(student, teacher, staff, admin, contact));
                    return new UserFact(null, u, change, null, sections, sections, null, sections > 2, sections > 3);
                });
        return user.list().uniqueElements(UserFact::id);
    }

    @Provide
    Arbitrary<List<SectionFact>> sections() {
        Arbitrary<SectionFact> section = Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                nastyText(), nastyText(), nastyText(), Arbitraries.of(Change.values()), Arbitraries.of(true, false))
                .as((id, name, subject, grade, change, shared) -> new SectionFact(null,
                        new Section("s-" + id, null, name, null, null, null, grade, subject, null, null, null, null, subject,
                                null, null, name, null), change, Outcome.PROVISIONED, 0, 0, shared, name, grade, !shared));
        return section.list().uniqueElements(SectionFact::id);
    }
}
