package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The shape of a synthetic Clever district: sizes and the seed every generated value derives
 * from. Immutable; made with {@link #builder()}. Nothing is materialised from a spec: a
 * {@link SyntheticDistrict} generates each record from the seed and its index on demand.
 */
@API(status = EXPERIMENTAL)
public final class DistrictSpec {

    /** Each school needs this many students so every per-school quirk (local indexes 0..15) and a few revisions fit. */
    public static final int MIN_STUDENTS_PER_SCHOOL = 40;

    private final int students;
    private final int schools;
    private final int teachersPerSchool;
    private final int staffPerSchool;
    private final int contacts;
    private final long seed;
    private final boolean sharesCourses;
    private final String districtName;
    private final String emailDomain;

    private DistrictSpec(Builder b) {
        this.students = b.students;
        this.schools = b.schools;
        int perSchool = b.students / b.schools;
        this.teachersPerSchool = b.teachersPerSchool > 0 ? b.teachersPerSchool : Math.max(3, (perSchool + 49) / 50);
        this.staffPerSchool = b.staffPerSchool;
        this.contacts = b.contacts >= 0 ? b.contacts : b.students / 2;
        this.seed = b.seed;
        this.sharesCourses = b.sharesCourses;
        this.districtName = b.districtName;
        this.emailDomain = b.emailDomain;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The demo district: 300 students in 3 schools, seed 42. */
    public static DistrictSpec demo() {
        return builder().build();
    }

    public int students() { return students; }
    public int schools() { return schools; }
    /** Teachers with classes per school (each teaches 4 sections); one more classless teacher per school is added. */
    public int teachersPerSchool() { return teachersPerSchool; }
    public int staffPerSchool() { return staffPerSchool; }
    /** Contacts (guardians); contact {@code c} is related to students {@code 2c} and {@code 2c+1}. */
    public int contacts() { return contacts; }
    public long seed() { return seed; }
    /** When false the district shares no courses: {@code /courses} is empty and no section names a course. */
    public boolean sharesCourses() { return sharesCourses; }
    public String districtName() { return districtName; }
    public String emailDomain() { return emailDomain; }

    public Builder toBuilder() {
        return new Builder().students(students).schools(schools).teachersPerSchool(teachersPerSchool)
                .staffPerSchool(staffPerSchool).contacts(contacts).seed(seed).sharesCourses(sharesCourses)
                .districtName(districtName).emailDomain(emailDomain);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistrictSpec d && d.students == students && d.schools == schools
                && d.teachersPerSchool == teachersPerSchool && d.staffPerSchool == staffPerSchool
                && d.contacts == contacts && d.seed == seed && d.sharesCourses == sharesCourses
                && d.districtName.equals(districtName) && d.emailDomain.equals(emailDomain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(students, schools, teachersPerSchool, staffPerSchool, contacts, seed, sharesCourses, districtName, emailDomain);
    }

    @Override
    public String toString() {
        return "DistrictSpec[students=" + students + ", schools=" + schools + ", teachersPerSchool=" + teachersPerSchool
                + ", staffPerSchool=" + staffPerSchool + ", contacts=" + contacts + ", seed=" + seed
                + ", sharesCourses=" + sharesCourses + "]";
    }

    /** Builds a {@link DistrictSpec}; each setter validates its argument. */
    @API(status = EXPERIMENTAL)
    public static final class Builder {
        private int students = 300;
        private int schools = 3;
        private int teachersPerSchool = 0;
        private int staffPerSchool = 2;
        private int contacts = -1;
        private long seed = 42L;
        private boolean sharesCourses = true;
        private String districtName = "Homeroom Demo District";
        private String emailDomain = "demo.k12.example.org";

        private Builder() {}

        public Builder students(int students) {
            if (students < 1) throw new IllegalArgumentException("students must be positive, was " + students);
            this.students = students;
            return this;
        }

        public Builder schools(int schools) {
            if (schools < 1 || schools > 100_000) throw new IllegalArgumentException("schools must be 1..100000, was " + schools);
            this.schools = schools;
            return this;
        }

        /** Teachers with classes per school; 0 (the default) derives it: about 25 students per section, at least 3. */
        public Builder teachersPerSchool(int teachersPerSchool) {
            if (teachersPerSchool != 0 && teachersPerSchool < 3) {
                throw new IllegalArgumentException("teachersPerSchool must be 0 (derived) or at least 3, was " + teachersPerSchool);
            }
            this.teachersPerSchool = teachersPerSchool;
            return this;
        }

        public Builder staffPerSchool(int staffPerSchool) {
            if (staffPerSchool < 1) throw new IllegalArgumentException("staffPerSchool must be at least 1, was " + staffPerSchool);
            this.staffPerSchool = staffPerSchool;
            return this;
        }

        /** Number of contacts; -1 (the default) means half the students. */
        public Builder contacts(int contacts) {
            if (contacts < -1) throw new IllegalArgumentException("contacts must be -1 (derived) or >= 0, was " + contacts);
            this.contacts = contacts;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder sharesCourses(boolean sharesCourses) {
            this.sharesCourses = sharesCourses;
            return this;
        }

        public Builder districtName(String districtName) {
            this.districtName = Objects.requireNonNull(districtName, "districtName");
            return this;
        }

        public Builder emailDomain(String emailDomain) {
            this.emailDomain = Objects.requireNonNull(emailDomain, "emailDomain");
            return this;
        }

        public DistrictSpec build() {
            if ((long) students < (long) schools * MIN_STUDENTS_PER_SCHOOL) {
                throw new IllegalArgumentException("students (" + students + ") must be at least " + MIN_STUDENTS_PER_SCHOOL
                        + " per school (" + schools + " schools): raise students or lower schools");
            }
            if (contacts > (students + 1) / 2) {
                throw new IllegalArgumentException("contacts (" + contacts + ") can be at most (students+1)/2 = " + (students + 1) / 2);
            }
            return new DistrictSpec(this);
        }
    }
}
