package dev.homeroom.rules.defaults;

import dev.homeroom.rules.Decisions;
import dev.homeroom.rules.PolicyFile;
import dev.homeroom.rules.RuleFiles;
import dev.homeroom.rules.RuleSet;
import dev.homeroom.rules.SchoolYear;
import dev.homeroom.spi.Change;
import dev.homeroom.spi.Decision;
import dev.homeroom.spi.Filler;
import dev.homeroom.spi.Name;
import dev.homeroom.spi.Outcome;
import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.RoleDecision;
import dev.homeroom.spi.User;
import dev.homeroom.spi.UserFact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Users decided per second by the default rule set, next to the core decisions (P1 classless, P2 role, P5 dob
 * filler, P17 gone) made by plain Java over the same users. Not a test: run it with
 * {@code mvn -o -q -pl rules test-compile exec:java} or from an IDE, e.g.
 * {@code java -cp rules/target/test-classes:<test classpath> dev.homeroom.rules.defaults.RulesBenchmark [users] [batch]}.
 */
public final class RulesBenchmark {
    public static void main(String[] args) {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        RuleSet rules = RuleSet.compile(RuleFiles.defaults());
        Policies policies = PolicyFile.defaults();
        List<UserFact> users = synthetic(total, 42);
        System.out.printf("%d users, batches of %d, %d rules, %d cores%n", total, batch, rules.rules().size(),
                Runtime.getRuntime().availableProcessors());
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            long inserted = 0;
            for (int i = 0; i < users.size(); i += batch) {
                Decisions d = rules.evaluate(users.subList(i, Math.min(users.size(), i + batch)), policies);
                inserted += d.size();
            }
            double drools = total / ((System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            long plain = 0;
            for (int i = 0; i < users.size(); i += batch) {
                plain += plainJava(users.subList(i, Math.min(users.size(), i + batch)), policies);
            }
            double java = total / ((System.nanoTime() - t1) / 1e9);
            System.out.printf("round %d: drools %,.0f users/s (%,d rule outputs) | plain java %,.0f users/s (%,d outputs)%n",
                    round, drools, inserted, java, plain);
        }
    }

    static long plainJava(List<UserFact> users, Policies p) {
        List<Object> out = new ArrayList<>();
        for (UserFact u : users) {
            if (u.isGone()) {
                out.add(new Decision(RecordKind.USER, u.id(), Outcome.DEACTIVATED, "P17-DEACTIVATE-GONE-USER", "gone"));
                continue;
            }
            List<String> roles = u.roles();
            if (roles.isEmpty()) {
                out.add(new Decision(RecordKind.USER, u.id(), Outcome.ERROR, "P2-ERROR-NO-ROLE", "no role"));
            } else {
                out.add(new RoleDecision(u.id(), roles.get(0), roles, false, roles.size() == 1 ? "P2-SINGLE-ROLE" : "P2-HIGHEST-ROLE", ""));
            }
            boolean schoolTied = u.hasRole("staff") || u.hasRole("district_admin");
            if (!schoolTied && u.sectionCount() == 0 && u.hasRole("student") && p.is("classless.students", "SKIP")) {
                out.add(new Decision(RecordKind.USER, u.id(), Outcome.SKIPPED, "P1-SKIP-CLASSLESS-STUDENT", "classless"));
            }
            if (!schoolTied && u.sectionCount() == 0 && u.hasRole("teacher") && p.is("classless.teachers", "SKIP")) {
                out.add(new Decision(RecordKind.USER, u.id(), Outcome.SKIPPED, "P1-SKIP-CLASSLESS-TEACHER", "classless"));
            }
            User.Student s = u.user().roles().student();
            if (s != null && s.dobDate().isEmpty() && p.is("student.dob.missing", "FILLER")) {
                out.add(new Filler(RecordKind.USER, u.id(), "dob", SchoolYear.fillerDob(p, s.grade()), "P5-FILLER-DOB", ""));
                out.add(new dev.homeroom.spi.DataWarning(RecordKind.USER, u.id(), "DOB_MISSING", "dob", "", "P5-FILLER-DOB"));
            }
        }
        return out.size();
    }

    /** A district-like mix (3% without dob, 3% without graduation year, 5% classless, 2% gone): 88% students, 7% teachers, 3% staff, 1% multi-role, 1% contacts; some classless, some without dob, some gone. */
    static List<UserFact> synthetic(int n, long seed) {
        Random r = new Random(seed);
        List<UserFact> users = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = "u" + i;
            int kind = r.nextInt(100);
            User.Student student = null;
            User.Teacher teacher = null;
            User.Staff staff = null;
            User.Contact contact = null;
            if (kind < 88 || kind == 99) {
                String dob = r.nextInt(100) < 3 ? null : (1 + r.nextInt(12)) + "/" + (1 + r.nextInt(28)) + "/" + (2008 + r.nextInt(12));
                student = new User.Student(null, null, dob, null, List.of(), Map.of(), null, Integer.toString(1 + r.nextInt(12)),
                        r.nextInt(100) < 3 ? null : Integer.toString(2026 + r.nextInt(12)), null, null, null, null, null, "sch" + r.nextInt(20), List.of(), "sis" + i, null, null, null, null,
                        null, null, null, null, null, null);
            }
            if ((kind >= 88 && kind < 95) || kind == 98) {
                teacher = new User.Teacher(null, null, "d1", Map.of(), null, null, null, "sch1", List.of("sch1"), "t" + i, null, null, null);
            }
            if (kind >= 95 && kind <= 98) {
                staff = new User.Staff(null, null, Map.of(), null, List.of(), List.of("sch1"), "st" + i, null);
            }
            if (kind == 99) {
                contact = new User.Contact(null, null, null, null, List.of());
            }
            User user = new User(id, "d1", id + "@example.org", new Name("First" + i, null, "Last" + i), null, null,
                    new User.Roles(student, teacher, staff, null, contact));
            boolean classless = r.nextInt(100) < 5;
            Change change = r.nextInt(100) < 2 ? Change.GONE : Change.UNCHANGED;
            users.add(new UserFact("d1", user, change, Outcome.PROVISIONED, student != null && !classless ? 1 + r.nextInt(6) : 0,
                    teacher != null && !classless ? 1 + r.nextInt(5) : 0, List.of("sch1"), false, false));
        }
        return users;
    }
}
