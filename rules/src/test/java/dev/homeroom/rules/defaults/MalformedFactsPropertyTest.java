package dev.homeroom.rules.defaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.homeroom.rules.Decisions;
import dev.homeroom.rules.FieldText;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad data never breaks a batch: every record with an id is decided, whatever its fields hold, under any policy.
 *
 * <p>Each case is generated from its seed alone; the display name shows the seed, and a failed assertion prints the
 * offending fact with long and invisible text spelled out, so a failure can be rerun and read.
 */
class MalformedFactsPropertyTest {
    static final RuleSet RULES = RuleSet.compile(RuleFiles.defaults());
    static final Policies DEFAULTS = PolicyFile.defaults();
    private static final int TRIES = 60;
    private static final int MAX_USERS = 40;
    private static final int MAX_SECTIONS = 20;

    /** One batch of facts and the policies it is decided under ({@code choices}: the CHOICE values drawn). */
    record Batch(List<UserFact> users, List<SectionFact> sections, Map<String, String> choices, Policies policies) {
        @Override
        public String toString() {
            return users.size() + " users, " + sections.size() + " sections, policies " + choices;
        }
    }

    static Stream<Arguments> batches() {
        return LongStream.range(0, TRIES).mapToObj(seed -> Arguments.of(seed, generate(seed)));
    }

    @ParameterizedTest(name = "seed {0}: {1}")
    @MethodSource("batches")
    void everyUserAndSectionIsDecidedAndNothingThrows(long seed, Batch batch) {
        List<Object> facts = new ArrayList<>(batch.users());
        facts.addAll(batch.sections());
        AtomicReference<Decisions> result = new AtomicReference<>();
        assertThatCode(() -> result.set(RULES.evaluate(facts, batch.policies())))
                .as("seed %d: evaluate(%s)", seed, batch).doesNotThrowAnyException();
        Decisions d = result.get();
        for (UserFact u : batch.users()) {
            boolean decided = d.roles().stream().anyMatch(r -> r.cleverId().equals(u.id()))
                    || d.decisions().stream().anyMatch(x -> x.kind() == RecordKind.USER && x.cleverId().equals(u.id()));
            assertThat(decided).as("seed %d: user got a role or a decision: %s", seed, describe(u)).isTrue();
            assertThat(d.decisions()).as("seed %d: no rule error for %s", seed, describe(u))
                    .noneMatch(x -> x.cleverId().equals(u.id()) && x.ruleId().equals("engine:rule-error"));
        }
        for (SectionFact s : batch.sections()) {
            assertThat(d.decisions()).as("seed %d: no rule error for %s", seed, describe(s))
                    .noneMatch(x -> x.cleverId().equals(s.id()) && x.ruleId().equals("engine:rule-error"));
        }
        // every cleaned text value is clean and within its limit
        d.cleanedValues().stream().filter(c -> c.value() != null && c.field().startsWith("name"))
                .forEach(c -> assertThat(FieldText.needsCleaning(c.value()))
                        .as("seed %d: cleaned %s %s = %s", seed, c.cleverId(), c.field(), visible(c.value())).isFalse());
    }

    // ---- generators: a seed gives the same batch every time ----

    static Batch generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, String> choices = new TreeMap<>();
        for (PolicyCatalog.Entry e : PolicyCatalog.entries()) {
            if (e.type() == PolicyCatalog.Type.CHOICE) {
                choices.put(e.key(), e.allowed().get(random.nextInt(e.allowed().size())));
            }
        }
        List<UserFact> users = new ArrayList<>();
        Set<String> userIds = new HashSet<>();
        int userCount = sizeBiased(random, MAX_USERS);
        while (users.size() < userCount) {
            String id = "u-" + token(random, ALPHANUMERIC);
            if (userIds.add(id)) {
                users.add(user(random, id));
            }
        }
        List<SectionFact> sections = new ArrayList<>();
        Set<String> sectionIds = new HashSet<>();
        int sectionCount = sizeBiased(random, MAX_SECTIONS);
        while (sections.size() < sectionCount) {
            String id = "s-" + token(random, ALPHA);
            if (sectionIds.add(id)) {
                sections.add(section(random, id));
            }
        }
        return new Batch(List.copyOf(users), List.copyOf(sections), choices, DEFAULTS.with(choices));
    }

    private static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String ALPHANUMERIC = ALPHA + "0123456789";
    private static final char[] NASTY_CHARS = {'\u0000', '\u0007', '\t', '\n', ' ', '\uD800', '\uFFFF', 'é', 'ñ'};
    private static final List<String> DATES =
            List.of("1/1/2010", "13/45/2010", "2010-02-30", "yesterday", "0/0/0", "12/31/99999");

    /** A list size from 0 to max; empty and full lists come up one time in five. */
    static int sizeBiased(SplittableRandom random, int max) {
        int roll = random.nextInt(10);
        return roll == 0 ? 0 : roll == 1 ? max : random.nextInt(max + 1);
    }

    static String token(SplittableRandom random, String alphabet) {
        int length = 1 + random.nextInt(8);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Text as a Clever field may hold it: null, empty, any UTF-16 unit (lone surrogates too), controls, 10,000 chars, dates. */
    static String nastyText(SplittableRandom random) {
        return switch (random.nextInt(7)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = random.nextInt(31); i > 0; i--) {
                    sb.append((char) random.nextInt(Character.MAX_VALUE + 1));
                }
                yield sb.toString();
            }
            case 3 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = random.nextInt(13); i > 0; i--) {
                    sb.append(NASTY_CHARS[random.nextInt(NASTY_CHARS.length)]);
                }
                yield sb.toString();
            }
            case 4 -> "😀 Zoë O'Brien-Núñez ";
            case 5 -> {
                StringBuilder sb = new StringBuilder(10_000);
                for (int i = 0; i < 10_000; i++) {
                    sb.append(ALPHA.charAt(random.nextInt(ALPHA.length())));
                }
                yield sb.toString();
            }
            default -> DATES.get(random.nextInt(DATES.size()));
        };
    }

    static UserFact user(SplittableRandom random, String id) {
        String first = nastyText(random);
        String last = nastyText(random);
        String email = nastyText(random);
        int roleBits = random.nextInt(32);
        Change change = Change.values()[random.nextInt(Change.values().length)];
        int sections = random.nextInt(-1, 6);
        String dob = nastyText(random);
        User.Student student = (roleBits & 1) != 0 ? new User.Student(null, null, dob, dob, null, null, null, first,
                last, null, null, null, null, null, null, null, email, null, null, null, null, null, null, null,
                first, null, null) : null;
        User.Teacher teacher = (roleBits & 2) != 0 ? new User.Teacher(null, null, null, null, null, null, null, null,
                null, null, null, null, null) : null;
        User.Staff staff = (roleBits & 4) != 0 ? new User.Staff(null, null, null, null, null, null, null, null) : null;
        User.DistrictAdmin admin = (roleBits & 8) != 0 ? new User.DistrictAdmin(null, null) : null;
        User.Contact contact = (roleBits & 16) != 0 ? new User.Contact(null, null, null, null, null) : null;
        User u = new User(id, null, email, new Name(first, email, last), null, null,
                new User.Roles(student, teacher, staff, admin, contact));
        return new UserFact(null, u, change, null, sections, sections, null, sections > 2, sections > 3);
    }

    static SectionFact section(SplittableRandom random, String id) {
        String name = nastyText(random);
        String subject = nastyText(random);
        String grade = nastyText(random);
        Change change = Change.values()[random.nextInt(Change.values().length)];
        boolean shared = random.nextBoolean();
        return new SectionFact(null, new Section(id, null, name, null, null, null, grade, subject, null, null, null, null,
                subject, null, null, name, null), change, Outcome.PROVISIONED, 0, 0, shared, name, grade, !shared);
    }

    // ---- readable failure messages ----

    static String describe(UserFact u) {
        return "UserFact[id=" + u.id() + ", roles=" + u.roles() + ", change=" + u.change() + ", first="
                + visible(u.user().name().first()) + ", last=" + visible(u.user().name().last()) + ", email="
                + visible(u.user().email()) + ", sections=" + u.studentSectionCount() + "]";
    }

    static String describe(SectionFact s) {
        return "SectionFact[id=" + s.id() + ", change=" + s.change() + ", name=" + visible(s.section().name())
                + ", grade=" + visible(s.section().grade()) + ", subject=" + visible(s.section().subject())
                + ", termShared=" + s.termShared() + "]";
    }

    /** Text with invisible and non-ASCII units escaped, and long text cut to its length and first characters. */
    static String visible(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 40 ? value.substring(0, 40) : value;
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : shown.toCharArray()) {
            if (ch >= 0x20 && ch < 0x7f) {
                sb.append(ch);
            } else {
                sb.append(String.format("\\u%04x", (int) ch));
            }
        }
        sb.append('"');
        return value.length() > 40 ? sb + "…(" + value.length() + " chars)" : sb.toString();
    }
}
