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
    private final int sectionsPerStudent;
    private final int studentsPerSection;
    private final int terms;
    private final int courses;
    private final int districtAdmins;
    private final int quirkEvery;

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
        this.sectionsPerStudent = b.sectionsPerStudent;
        this.studentsPerSection = b.studentsPerSection;
        this.terms = b.terms;
        this.courses = b.courses;
        this.districtAdmins = b.districtAdmins;
        this.quirkEvery = b.quirkEvery;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The demo district: 300 students in 3 schools, seed 42. */
    public static DistrictSpec demo() {
        return builder().build();
    }

    /**
     * A district shaped like a large US one, scaled from a 1,000,000-student district: 1,800 schools, 70 teachers per
     * 1,000 students (one of them per school teaches nothing), 3 staff per school, 100 district admins, 6 sections per
     * student of about 25 students each (about 240,000 sections and 6,000,000 enrollments), 20,000 courses, 4 terms, and
     * the common quirks (classless, missing dob, duplicate email and SIS id, teacher-and-staff) on one student and
     * teacher in 40 of each school. Seed 2024.
     */
    public static DistrictSpec realistic(int students) {
        if (students < MIN_STUDENTS_PER_SCHOOL) {
            throw new IllegalArgumentException("students must be at least " + MIN_STUDENTS_PER_SCHOOL + ", was " + students);
        }
        int schools = (int) Math.max(1, Math.min(students / MIN_STUDENTS_PER_SCHOOL, Math.round(students * 1_800.0 / 1_000_000)));
        int perSchool = students / schools;
        int teachersPerSchool = Math.max(3, (int) Math.round(perSchool * 70.0 / 1_000) - 1);
        return builder().students(students).schools(schools).seed(2024L)
                .teachersPerSchool(teachersPerSchool).staffPerSchool(3)
                .sectionsPerStudent(6).studentsPerSection(25)
                .courses((int) Math.max(8, Math.round(students * 20_000.0 / 1_000_000))).terms(4)
                .districtAdmins((int) Math.max(1, Math.round(students * 100.0 / 1_000_000))).quirkEvery(40)
                .districtName("Homeroom Realistic District").emailDomain("realistic.k12.example.org")
                .build();
    }

    public int students() { return students; }
    public int schools() { return schools; }
    /** Teachers with classes per school (4 sections each by default); one more classless teacher per school is added. */
    public int teachersPerSchool() { return teachersPerSchool; }
    public int staffPerSchool() { return staffPerSchool; }
    /** Contacts (guardians); contact {@code c} is related to students {@code 2c} and {@code 2c+1}. */
    public int contacts() { return contacts; }
    public long seed() { return seed; }
    /** When false the district shares no courses: {@code /courses} is empty and no section names a course. */
    public boolean sharesCourses() { return sharesCourses; }
    public String districtName() { return districtName; }
    public String emailDomain() { return emailDomain; }
    /** Sections each enrolled student sits in, one per period (default 2). */
    public int sectionsPerStudent() { return sectionsPerStudent; }
    /** Target students per section; 0 (the default) means each teacher with classes teaches 4 sections. */
    public int studentsPerSection() { return studentsPerSection; }
    /** Terms served (default 2); one more term is referenced by sections but not served. */
    public int terms() { return terms; }
    /** Courses served; 0 (the default) means 8 per school level (up to 24). Ignored when {@link #sharesCourses()} is false. */
    public int courses() { return courses; }
    /** Users whose only role is district_admin (default 1, the superintendent). */
    public int districtAdmins() { return districtAdmins; }
    /**
     * 0 (the default): each quirk sits on one student (or teacher) per school. N: the common quirks (classless,
     * missing dob, duplicate email, duplicate SIS id) also recur on every N-th student of a school, and every N-th
     * teacher also holds the staff role.
     */
    public int quirkEvery() { return quirkEvery; }

    /**
     * Sections per school: 4 per teacher with classes, or, when {@link #studentsPerSection()} is set, enough for
     * sections of about that size (a multiple of {@link #sectionsPerStudent()}).
     */
    public int sectionsPerSchool() {
        if (studentsPerSection == 0) return 4 * teachersPerSchool;
        long perSchool = students / schools;
        return sectionsPerStudent * (int) Math.max(1, Math.round((double) perSchool / studentsPerSection));
    }

    public Builder toBuilder() {
        return new Builder().students(students).schools(schools).teachersPerSchool(teachersPerSchool)
                .staffPerSchool(staffPerSchool).contacts(contacts).seed(seed).sharesCourses(sharesCourses)
                .districtName(districtName).emailDomain(emailDomain).sectionsPerStudent(sectionsPerStudent)
                .studentsPerSection(studentsPerSection).terms(terms).courses(courses).districtAdmins(districtAdmins)
                .quirkEvery(quirkEvery);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistrictSpec d && d.students == students && d.schools == schools
                && d.teachersPerSchool == teachersPerSchool && d.staffPerSchool == staffPerSchool
                && d.contacts == contacts && d.seed == seed && d.sharesCourses == sharesCourses
                && d.districtName.equals(districtName) && d.emailDomain.equals(emailDomain)
                && d.sectionsPerStudent == sectionsPerStudent && d.studentsPerSection == studentsPerSection
                && d.terms == terms && d.courses == courses && d.districtAdmins == districtAdmins && d.quirkEvery == quirkEvery;
    }

    @Override
    public int hashCode() {
        return Objects.hash(students, schools, teachersPerSchool, staffPerSchool, contacts, seed, sharesCourses, districtName, emailDomain,
                sectionsPerStudent, studentsPerSection, terms, courses, districtAdmins, quirkEvery);
    }

    @Override
    public String toString() {
        return "DistrictSpec[students=" + students + ", schools=" + schools + ", teachersPerSchool=" + teachersPerSchool
                + ", staffPerSchool=" + staffPerSchool + ", contacts=" + contacts + ", seed=" + seed
                + ", sharesCourses=" + sharesCourses + ", sectionsPerStudent=" + sectionsPerStudent
                + ", studentsPerSection=" + studentsPerSection + ", terms=" + terms + ", courses=" + courses
                + ", districtAdmins=" + districtAdmins + ", quirkEvery=" + quirkEvery + "]";
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
        private int sectionsPerStudent = 2;
        private int studentsPerSection = 0;
        private int terms = 2;
        private int courses = 0;
        private int districtAdmins = 1;
        private int quirkEvery = 0;

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

        /** Sections each enrolled student sits in, 1..12 (default 2). */
        public Builder sectionsPerStudent(int sectionsPerStudent) {
            if (sectionsPerStudent < 1 || sectionsPerStudent > 12) {
                throw new IllegalArgumentException("sectionsPerStudent must be 1..12, was " + sectionsPerStudent);
            }
            this.sectionsPerStudent = sectionsPerStudent;
            return this;
        }

        /** Target students per section, 0 (the default: 4 sections per teacher) or 5..500. */
        public Builder studentsPerSection(int studentsPerSection) {
            if (studentsPerSection != 0 && (studentsPerSection < 5 || studentsPerSection > 500)) {
                throw new IllegalArgumentException("studentsPerSection must be 0 (4 sections per teacher) or 5..500, was " + studentsPerSection);
            }
            this.studentsPerSection = studentsPerSection;
            return this;
        }

        /** Terms served, 2..12 (default 2). */
        public Builder terms(int terms) {
            if (terms < 2 || terms > 12) throw new IllegalArgumentException("terms must be 2..12, was " + terms);
            this.terms = terms;
            return this;
        }

        /** Courses served, 0 (the default: 8 per school level) or 8..1,000,000. */
        public Builder courses(int courses) {
            if (courses != 0 && (courses < 8 || courses > 1_000_000)) {
                throw new IllegalArgumentException("courses must be 0 (8 per school level) or 8..1000000, was " + courses);
            }
            this.courses = courses;
            return this;
        }

        /** Users whose only role is district_admin, 1..10,000 (default 1). */
        public Builder districtAdmins(int districtAdmins) {
            if (districtAdmins < 1 || districtAdmins > 10_000) {
                throw new IllegalArgumentException("districtAdmins must be 1..10000, was " + districtAdmins);
            }
            this.districtAdmins = districtAdmins;
            return this;
        }

        /** 0 (the default: each quirk once per school) or 16..10,000: the common quirks recur every that many students and teachers. */
        public Builder quirkEvery(int quirkEvery) {
            if (quirkEvery != 0 && (quirkEvery < 16 || quirkEvery > 10_000)) {
                throw new IllegalArgumentException("quirkEvery must be 0 (once per school) or 16..10000, was " + quirkEvery);
            }
            this.quirkEvery = quirkEvery;
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
            DistrictSpec spec = new DistrictSpec(this);
            if (spec.sectionsPerSchool() < Math.max(7, spec.teachersPerSchool())) {
                throw new IllegalArgumentException("sections per school (" + spec.sectionsPerSchool() + ") must be at least 7 and at least"
                        + " teachersPerSchool (" + spec.teachersPerSchool() + "): lower studentsPerSection or raise sectionsPerStudent");
            }
            if (spec.sectionsPerSchool() % spec.sectionsPerStudent() != 0) {
                throw new IllegalArgumentException("sections per school (4 x teachersPerSchool = " + spec.sectionsPerSchool()
                        + ") must be a multiple of sectionsPerStudent (" + spec.sectionsPerStudent() + "): set studentsPerSection or change teachersPerSchool");
            }
            return spec;
        }
    }
}
