package dev.homeroom.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.testkit.Change;
import dev.homeroom.testkit.DistrictCounts;
import dev.homeroom.testkit.DistrictSpec;
import dev.homeroom.testkit.Quirk;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One state (revision) of a synthetic district, computed by arithmetic on indexes so that a
 * district of any size costs a few fields. Every record is a pure function of (spec, revision,
 * kind, index).
 *
 * <p>Geometry: students are split into contiguous per-school blocks; a student's "local index"
 * {@code j} inside its school decides its quirks (j = 0..15, see {@link #quirks()}) and the
 * revision changes (j = 16 + 4(r-1) removed, 17 + ... renamed, 18 + ... email changed at step r).
 * With {@code quirkEvery} P the common quirks (classless, missing dob, duplicate email and SIS id)
 * also sit on every j with j ≥ P and j mod P equal to their index.
 * A school has M sections ({@link DistrictSpec#sectionsPerSchool()}: 4T by default) and K periods
 * ({@link DistrictSpec#sectionsPerStudent()}, 2 by default); section {@code q} has period p = q % K
 * and slot r = q / K of R = M / K slots; student j sits in section (p, (j + p) % R) for each p,
 * so every enrolled student is in K sections and a section's members are j ≡ r - p (mod R).
 * Section q is taught by local teacher ⌊qT/M⌋ of the school's T teachers with classes (4 sections
 * each when M = 4T).
 */
public final class DistrictModel {

    public static final int DISTRICT = 0x01;
    public static final int SCHOOL = 0x02;
    public static final int TERM = 0x03;
    public static final int COURSE = 0x04;
    public static final int SECTION = 0x05;
    public static final int ADMIN = 0x10;
    public static final int STAFF = 0x11;
    public static final int TEACHER = 0x12;
    public static final int STUDENT = 0x13;
    public static final int CONTACT = 0x14;
    public static final int EVENT = 0x30;

    // per-school local student indexes that carry a quirk
    static final int J_SHORT_DOB = 0;
    static final int J_NO_DOB = 1;
    static final int J_NO_GRAD_YEAR = 2;
    static final int J_MULTI_SCHOOL = 3;
    static final int J_CLASSLESS = 4;
    static final int J_UTF8 = 5;
    static final int J_UNTRIMMED = 6;
    static final int J_LONG_NAME = 7;
    static final int J_LONG_EMAIL = 8;
    static final int J_DUP_EMAIL_A = 9;
    static final int J_DUP_EMAIL_B = 10;
    static final int J_DUP_SIS_A = 11;
    static final int J_DUP_SIS_B = 12;
    static final int J_SENSITIVE_2 = 15;
    // per-school local section indexes that carry a quirk
    static final int Q_GRADE_MISMATCH = 1;
    static final int Q_NO_NAME = 2;
    static final int Q_SUBJECT_OTHER = 3;
    static final int Q_NO_COURSE = 4;
    static final int Q_UNSHARED_TERM = 5;
    static final int Q_RENAMED = 6;

    static final int TERM_UNSHARED = 2;
    static final int TERM_RECREATED = 3;

    private static final long BASE_EPOCH = 1751328000L; // 2025-07-01T00:00:00Z
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    final DistrictSpec spec;
    final int rev;
    final long seed;
    final int S;
    final long N;
    final int T;
    final int SP;
    final long C;
    final int M;
    final int K;
    final int R;
    final int P;
    final int A;
    final int NT;
    final int levels;
    final boolean courses;
    private final long base;
    private final long rem;
    private final String prefix;
    private final String domain;

    public DistrictModel(DistrictSpec spec, int revision) {
        if (revision < 0) throw new IllegalArgumentException("revision must be >= 0");
        this.spec = spec;
        this.rev = revision;
        this.seed = spec.seed();
        this.S = spec.schools();
        this.N = spec.students();
        this.T = spec.teachersPerSchool();
        this.SP = spec.staffPerSchool();
        this.C = spec.contacts();
        this.M = spec.sectionsPerSchool();
        this.K = spec.sectionsPerStudent();
        this.R = M / K;
        this.P = spec.quirkEvery();
        this.A = spec.districtAdmins();
        this.NT = spec.terms();
        this.levels = Math.min(S, 3);
        this.courses = spec.sharesCourses();
        this.base = N / S;
        this.rem = N % S;
        long h = mix(seed ^ 0x5DEECE66DL);
        this.prefix = String.format("%08x%06x", 0x68000000L | (h >>> 40 & 0x00FFFFFFL), h & 0xFFFFFFL);
        this.domain = spec.emailDomain();
    }

    public int revision() {
        return rev;
    }

    public DistrictSpec spec() {
        return spec;
    }

    // ---------------------------------------------------------------- ids

    public String id(long key) {
        char[] c = new char[24];
        prefix.getChars(0, 14, c, 0);
        long v = key;
        for (int i = 23; i >= 14; i--) {
            c[i] = Character.forDigit((int) (v & 0xF), 16);
            v >>>= 4;
        }
        return new String(c);
    }

    public String id(int kind, long index) {
        return id(KeySource.key(kind, index));
    }

    /** Key of an id of this district, or -1 when the id is not one of ours (or malformed). */
    public long keyOf(String id) {
        if (id == null || id.length() != 24 || !id.startsWith(prefix)) return -1;
        try {
            return Long.parseLong(id.substring(14), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A position for range paging: ids sort as strings, so a foreign id still has a place.
     * Returns {@code Long.MIN_VALUE} for "before everything", {@code Long.MAX_VALUE} for "after".
     */
    public long boundary(String id) {
        long k = keyOf(id);
        if (k >= 0) return k;
        String p = id.length() >= 14 ? id.substring(0, 14) : id;
        return p.compareTo(prefix) <= 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    public static int kindOf(long key) {
        return (int) (key >>> 32);
    }

    public static long indexOf(long key) {
        return key & 0xFFFFFFFFL;
    }

    public static String collection(int kind) {
        return switch (kind) {
            case DISTRICT -> "districts";
            case SCHOOL -> "schools";
            case TERM -> "terms";
            case COURSE -> "courses";
            case SECTION -> "sections";
            case ADMIN, STAFF, TEACHER, STUDENT, CONTACT -> "users";
            case EVENT -> "events";
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    public static boolean isUser(int kind) {
        return kind >= ADMIN && kind <= CONTACT;
    }

    // ---------------------------------------------------------------- hashing and time

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    long h(int kind, long index, int salt) {
        return mix(mix(seed) ^ ((long) kind << 56) ^ ((long) salt << 40) ^ index);
    }

    int pick(int kind, long index, int salt, int n) {
        return (int) Long.remainderUnsigned(h(kind, index, salt), n);
    }

    static String ts(long epochSecond) {
        // by hand: a million records carry two timestamps each, and DateTimeFormatter is most of a record's cost
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) return TS.format(Instant.ofEpochSecond(epochSecond));
        char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
        digits(c, 0, 4, t.getYear());
        digits(c, 5, 2, t.getMonthValue());
        digits(c, 8, 2, t.getDayOfMonth());
        digits(c, 11, 2, t.getHour());
        digits(c, 14, 2, t.getMinute());
        digits(c, 17, 2, t.getSecond());
        return new String(c);
    }

    private static void digits(char[] c, int at, int width, int v) {
        for (int k = at + width - 1; k >= at; k--) {
            c[k] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /** {@code String.format("%04d", v)} for 0 <= v < 10000, without the formatter. */
    static String pad4(int v) {
        char[] c = new char[4];
        digits(c, 0, 4, v);
        return new String(c);
    }

    static long created(int kind, long index) {
        return BASE_EPOCH + kind * 3600L + index;
    }

    /** When the changes of revision step {@code r} happened (September 2025 + r days). */
    public static long stepEpoch(int r) {
        return BASE_EPOCH + 62L * 86400 + r * 86400L;
    }

    // ---------------------------------------------------------------- geometry

    long studentStart(int sc) {
        return sc * base + Math.min(sc, rem);
    }

    long schoolSize(int sc) {
        return base + (sc < rem ? 1 : 0);
    }

    int schoolOfStudent(long i) {
        if (i >= N) return (int) ((i - N) % S);
        long big = rem * (base + 1);
        return (int) (i < big ? i / (base + 1) : rem + (i - big) / base);
    }

    long local(long i) {
        return i - studentStart(schoolOfStudent(i));
    }

    int level(int sc) {
        return sc % 3;
    }

    /** The quirk slot of a per-school local student index: itself, or its residue when quirks recur every P. */
    long slot(long j) {
        return P > 0 ? j % P : j;
    }

    boolean classless(long j) {
        return slot(j) == J_CLASSLESS;
    }

    /** A recurring copy (j ≥ P) of the quirk at local index {@code q}; such copies do not change across revisions. */
    boolean recurring(long j, int q) {
        return P > 0 && j >= P && j % P == q;
    }

    /** Revision step at which a per-school student local index changes in a given way (0 = never). */
    private static int step(long j, int first) {
        return j >= first && (j - first) % 4 == 0 ? (int) ((j - first) / 4) + 1 : 0;
    }

    static int removedStep(long j) {
        return step(j, 16);
    }

    static int renamedStep(long j) {
        return step(j, 17);
    }

    static int emailStep(long j) {
        return step(j, 18);
    }

    long newStudentsEnd() {
        return N + (long) rev * S;
    }

    public boolean studentExists(long i) {
        if (i < 0) return false;
        if (i >= N) return i < newStudentsEnd();
        int r = removedStep(local(i));
        return r == 0 || r > rev;
    }

    boolean staffExists(long s) {
        return s >= 0 && s < (long) S * SP && !(rev >= 1 && SP >= 2 && s == 1);
    }

    boolean teacherExists(long t) {
        return t >= 0 && t < (long) S * T + S;
    }

    boolean termExists(long t) {
        return t == 0 || (t == 1 && rev == 0) || (t == TERM_RECREATED && rev >= 1) || (t >= 4 && t < NT + 2);
    }

    /** Which served term a section's local index falls in: 0 the fall semester, 1 the spring one, 2.. the extra terms. */
    int termSlot(int q) {
        return q % NT;
    }

    /** True when the spec gives the course count: courses are then spread over sections round-robin. */
    boolean countedCourses() {
        return spec.courses() > 0;
    }

    long courseCount() {
        if (!courses) return 0;
        return countedCourses() ? spec.courses() : levels * 8L;
    }

    long sectionCount() {
        return (long) S * M;
    }

    public boolean exists(long key) {
        long i = indexOf(key);
        return switch (kindOf(key)) {
            case DISTRICT -> i == 0;
            case SCHOOL -> i < S;
            case TERM -> termExists(i);
            case COURSE -> i < courseCount();
            case SECTION -> i < sectionCount();
            case ADMIN -> i < A;
            case STAFF -> staffExists(i);
            case TEACHER -> teacherExists(i);
            case STUDENT -> studentExists(i);
            case CONTACT -> i < C;
            default -> false;
        };
    }

    /** Teacher index t with classes (t < S*T) or classless (the extra one per school). */
    boolean teaches(long t) {
        return t < (long) S * T;
    }

    int schoolOfTeacher(long t) {
        return teaches(t) ? (int) (t / T) : (int) (t - (long) S * T);
    }

    boolean teacherIsStaff(long t) {
        return t == 1 || t == 2 || (P > 0 && t % P == 1 && teaches(t) && t % T != 0);
    }

    /** The two named multi-role teachers, whose email is first.last rather than a number. */
    private static boolean namedStaff(long t) {
        return t == 1 || t == 2;
    }

    /** Teachers holding the staff role too. */
    long multiRoleTeachers() {
        long n = Math.min(2, (long) S * T - 1);
        if (P > 0) {
            for (long t = 1 + P; t < (long) S * T; t += P) if (t % T != 0) n++;
        }
        return n;
    }

    boolean teacherIsAdmin(long t) {
        return t == 2;
    }

    boolean multiSchoolTeacher(long t) {
        return S >= 2 && teaches(t) && t % T == 0;
    }

    // --------------------------------------------------------------- relations

    /** Student indexes of section s, ascending. */
    public long[] sectionStudents(long s) {
        int sc = (int) (s / M);
        int q = (int) (s % M);
        int p = q % K;
        int r = q / K;
        long n = schoolSize(sc);
        long start = studentStart(sc);
        LongList out = new LongList();
        for (long j = Math.floorMod(r - p, R); j < n; j += R) {
            if (classless(j)) continue;
            long i = start + j;
            if (studentExists(i)) out.add(i);
        }
        if (q == 0 && S >= 2) {
            int prev = Math.floorMod(sc - 1, S);
            long i = studentStart(prev) + J_MULTI_SCHOOL;
            if (studentExists(i)) out.add(i);
        }
        if (q == 0) {
            for (long k = sc; k < (long) rev * S; k += S) out.add(N + k);
        }
        return out.sorted();
    }

    /** Section indexes of student i, ascending. */
    public long[] studentSections(long i) {
        if (!studentExists(i)) return new long[0];
        int sc = schoolOfStudent(i);
        if (i >= N) return new long[] {(long) sc * M};
        long j = local(i);
        if (classless(j)) return new long[0];
        LongList out = new LongList();
        for (int p = 0; p < K; p++) {
            long r = (j + p) % R;
            out.add((long) sc * M + (long) K * r + p);
        }
        if (j == J_MULTI_SCHOOL && S >= 2) out.add((long) ((sc + 1) % S) * M);
        return out.sorted();
    }

    /** Teacher indexes of section s: primary first, then co-teachers. */
    public long[] sectionTeachers(long s) {
        int sc = (int) (s / M);
        int q = (int) (s % M);
        long primary = (long) sc * T + (long) q * T / M;
        if (q == Q_GRADE_MISMATCH && S >= 2) {
            return new long[] {primary, (long) Math.floorMod(sc - 1, S) * T};
        }
        return new long[] {primary};
    }

    /** Section indexes taught by teacher t, ascending. */
    public long[] teacherSections(long t) {
        if (!teaches(t)) return new long[0];
        int sc = schoolOfTeacher(t);
        long local = t % T;
        LongList out = new LongList();
        long from = (local * M + T - 1) / T;
        long to = ((local + 1) * M + T - 1) / T;
        for (long q = from; q < to; q++) out.add((long) sc * M + q);
        if (multiSchoolTeacher(t)) out.add((long) ((sc + 1) % S) * M + Q_GRADE_MISMATCH);
        return out.sorted();
    }

    /** Students related to contact c. */
    public long[] contactStudents(long c) {
        LongList out = new LongList();
        for (long i = 2 * c; i <= 2 * c + 1; i++) {
            if (i < N && studentExists(i)) out.add(i);
        }
        return out.sorted();
    }

    /** School indexes of a user, ascending (primary first for students is not implied). */
    public int[] userSchools(int kind, long i) {
        switch (kind) {
            case STUDENT: {
                int sc = schoolOfStudent(i);
                if (i < N && local(i) == J_MULTI_SCHOOL && S >= 2) return sortedPair(sc, (sc + 1) % S);
                return new int[] {sc};
            }
            case TEACHER: {
                int sc = schoolOfTeacher(i);
                return multiSchoolTeacher(i) ? sortedPair(sc, (sc + 1) % S) : new int[] {sc};
            }
            case STAFF:
                return new int[] {(int) (i / SP)};
            default:
                return new int[0];
        }
    }

    /** Primary school of a student or teacher, -1 for others. */
    public int primarySchool(int kind, long i) {
        return switch (kind) {
            case STUDENT -> schoolOfStudent(i);
            case TEACHER -> schoolOfTeacher(i);
            case STAFF -> (int) (i / SP);
            default -> -1;
        };
    }

    private static int[] sortedPair(int a, int b) {
        return a < b ? new int[] {a, b} : new int[] {b, a};
    }

    long sectionCourse(long s) {
        int q = (int) (s % M);
        if (!courses || q == Q_NO_COURSE) return -1;
        if (countedCourses()) return s % spec.courses();
        return level((int) (s / M)) * 8L + q % 8;
    }

    /** School indexes with a section of course c, ascending. */
    int[] courseSchools(long c) {
        if (!countedCourses()) {
            return java.util.stream.IntStream.range(0, S).filter(sc -> level(sc) == c / 8).toArray();
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (long s = c; s < sectionCount(); s += spec.courses()) {
            if (s % M != Q_NO_COURSE) out.add((int) (s / M));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    long sectionTerm(long s) {
        int q = (int) (s % M);
        if (q == Q_UNSHARED_TERM) return TERM_UNSHARED;
        int slot = termSlot(q);
        if (slot == 0) return 0;
        if (slot == 1) return rev >= 1 ? TERM_RECREATED : 1;
        return slot + 2L;
    }

    int studentGradeIndex(long i) {
        if (i >= N) return 0;
        int sc = schoolOfStudent(i);
        long j = local(i);
        return (int) ((j % R) * Names.GRADES[level(sc)].length / R);
    }

    // ---------------------------------------------------------------- sources for lists

    public KeySource allUsers() {
        return new KeySource.Segments()
                .add(ADMIN, 0, A, i -> true)
                .add(STAFF, 0, (long) S * SP, this::staffExists)
                .add(TEACHER, 0, (long) S * T + S, i -> true)
                .add(STUDENT, 0, newStudentsEnd(), this::studentExists)
                .add(CONTACT, 0, C, i -> true);
    }

    /** Users having the role; null for an unknown role. */
    public KeySource usersWithRole(String role) {
        KeySource.Segments s = new KeySource.Segments();
        switch (role) {
            case "student" -> s.add(STUDENT, 0, newStudentsEnd(), this::studentExists);
            case "teacher" -> s.add(TEACHER, 0, (long) S * T + S, i -> true);
            case "staff" -> s.add(STAFF, 0, (long) S * SP, this::staffExists).add(TEACHER, 1, P > 0 ? (long) S * T : Math.min(3, (long) S * T),
                    this::teacherIsStaff);
            case "district_admin" -> s.add(ADMIN, 0, A, i -> true).add(TEACHER, 2, Math.min(3, (long) S * T), i -> true);
            case "contact" -> s.add(CONTACT, 0, C, i -> true);
            default -> {
                return null;
            }
        }
        return s;
    }

    public KeySource collectionSource(int kind) {
        KeySource.Segments s = new KeySource.Segments();
        switch (kind) {
            case SCHOOL -> s.add(SCHOOL, 0, S, i -> true);
            case TERM -> s.add(TERM, 0, NT + 2L, this::termExists);
            case COURSE -> s.add(COURSE, 0, courseCount(), i -> true);
            case SECTION -> s.add(SECTION, 0, sectionCount(), i -> true);
            case DISTRICT -> s.add(DISTRICT, 0, 1, i -> true);
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        return s;
    }

    /** Users of a school (role null = all of staff, student, teacher), optionally only those whose primary school it is. */
    public KeySource schoolUsers(int sc, String role, boolean primary) {
        KeySource.Segments s = new KeySource.Segments();
        boolean all = role == null;
        if (all || role.equals("staff")) s.add(STAFF, (long) sc * SP, (long) (sc + 1) * SP, this::staffExists);
        if (!all && role.equals("staff") && P == 0 && sc == 0) s.add(TEACHER, 1, 3, i -> true);
        if (!all && role.equals("staff") && P > 0) s.add(TEACHER, (long) sc * T, (long) sc * T + T, this::teacherIsStaff);
        if (all || role.equals("teacher")) {
            s.add(TEACHER, (long) sc * T, (long) sc * T + T, i -> true);
            s.add(TEACHER, (long) S * T + sc, (long) S * T + sc + 1, i -> true);
            if (!primary && S >= 2) {
                long co = (long) Math.floorMod(sc - 1, S) * T;
                s.add(TEACHER, co, co + 1, i -> true);
            }
        }
        if (all || role.equals("student")) {
            long start = studentStart(sc);
            s.add(STUDENT, start, start + schoolSize(sc), this::studentExists);
            if (!primary && S >= 2) {
                long i = studentStart(Math.floorMod(sc - 1, S)) + J_MULTI_SCHOOL;
                s.add(STUDENT, i, i + 1, this::studentExists);
            }
            s.add(STUDENT, N, newStudentsEnd(), i -> (i - N) % S == sc);
        }
        return s;
    }

    public KeySource sectionsOfSchool(int sc) {
        return new KeySource.Segments().add(SECTION, (long) sc * M, (long) (sc + 1) * M, i -> true);
    }

    public KeySource sectionsOfCourse(long c) {
        return new KeySource.Segments().add(SECTION, 0, sectionCount(), s -> sectionCourse(s) == c);
    }

    public KeySource sectionsOfTerm(long t) {
        return new KeySource.Segments().add(SECTION, 0, sectionCount(), s -> sectionTerm(s) == t);
    }

    // ---------------------------------------------------------------- rendering

    /** The record for a key, or empty when it does not exist in this state. */
    public Optional<ObjectNode> record(long key) {
        if (!exists(key)) return Optional.empty();
        return Optional.of(render(key));
    }

    public ObjectNode render(long key) {
        long i = indexOf(key);
        return switch (kindOf(key)) {
            case DISTRICT -> district();
            case SCHOOL -> school((int) i);
            case TERM -> term(i);
            case COURSE -> course(i);
            case SECTION -> section(i);
            case ADMIN, STAFF, TEACHER, STUDENT, CONTACT -> user(kindOf(key), i);
            default -> throw new IllegalArgumentException("no record kind " + kindOf(key));
        };
    }

    public String districtId() {
        return id(DISTRICT, 0);
    }

    ObjectNode district() {
        ObjectNode d = F.objectNode();
        d.put("id", districtId());
        d.put("name", spec.districtName());
        ObjectNode contact = d.putObject("district_contact");
        contact.put("id", id(ADMIN, 0));
        contact.put("district", districtId());
        contact.put("email", "superintendent@" + domain);
        ObjectNode cn = contact.putObject("name");
        cn.put("first", "Morgan");
        cn.put("last", "Avery");
        contact.put("title", "Superintendent");
        d.put("error", "");
        d.put("last_sync", ts(rev == 0 ? BASE_EPOCH + 60L * 86400 : stepEpoch(rev)));
        d.put("launch_date", "2025-07-15");
        ArrayNode lm = d.putArray("login_methods");
        lm.add("Clever Passwords");
        lm.add("Google");
        d.put("mdr_number", String.valueOf(1000000 + pick(DISTRICT, 0, 1, 8999999)));
        d.put("nces_id", String.valueOf(1700000 + pick(DISTRICT, 0, 2, 99999)));
        d.putNull("pause_start");
        d.putNull("pause_end");
        d.put("portal_url", "https://clever.com/in/homeroom-demo-" + Long.toHexString(seed));
        d.put("sis_type", "sftp");
        d.put("state", "success");
        return d;
    }

    ObjectNode school(int sc) {
        int lv = level(sc);
        String[] grades = Names.GRADES[lv];
        ObjectNode o = F.objectNode();
        o.put("id", id(SCHOOL, sc));
        o.put("district", districtId());
        o.put("name", Names.LAST[pick(SCHOOL, sc, 1, Names.LAST.length)] + " " + Names.LEVELS[lv] + " School");
        o.put("created", ts(created(SCHOOL, sc)));
        o.put("last_modified", ts(created(SCHOOL, sc)));
        o.put("sis_id", "SCH-" + (100 + sc));
        o.put("school_number", String.valueOf(100 + sc));
        o.put("state_id", "ST-SCH-" + (100 + sc));
        o.put("nces_id", String.valueOf(170000000000L + sc));
        o.putNull("mdr_number");
        o.put("phone", String.format("(555) 01%02d-%04d", sc % 100, pick(SCHOOL, sc, 2, 10000)));
        o.put("low_grade", grades[0]);
        o.put("high_grade", grades[grades.length - 1]);
        ObjectNode loc = o.putObject("location");
        loc.put("address", (100 + pick(SCHOOL, sc, 3, 9000)) + " School Street");
        loc.put("city", Names.CITIES[sc % Names.CITIES.length]);
        loc.put("state", "IL");
        loc.put("zip", "6" + pad4(sc % 10000));
        ObjectNode principal = o.putObject("principal");
        principal.put("name", Names.FIRST[pick(SCHOOL, sc, 4, Names.FIRST.length)] + " " + Names.LAST[pick(SCHOOL, sc, 5, Names.LAST.length)]);
        principal.put("email", "principal." + (100 + sc) + "@" + domain);
        o.putObject("ext").put("charter_school", "");
        return o;
    }

    ObjectNode term(long t) {
        ObjectNode o = F.objectNode();
        o.put("id", id(TERM, t));
        o.put("district", districtId());
        switch ((int) t) {
            case 0 -> termFields(o, "2025-2026 Semester 1", "2025-08-15", "2025-12-19");
            case 1, TERM_RECREATED -> termFields(o, "2025-2026 Semester 2", "2026-01-05", "2026-06-12");
            case TERM_UNSHARED -> termFields(o, "2025 Summer Bridge", "2025-07-07", "2025-08-08");
            default -> {
                int k = (int) t - 3;
                String[][] quarters = {{"2025-08-15", "2025-10-17"}, {"2025-10-20", "2025-12-19"}, {"2026-01-05", "2026-03-13"},
                        {"2026-03-16", "2026-06-12"}};
                if (k <= 4) termFields(o, "2025-2026 Quarter " + k, quarters[k - 1][0], quarters[k - 1][1]);
                else termFields(o, "2025-2026 Session " + k, "2025-08-15", "2026-06-12");
            }
        }
        return o;
    }

    private static void termFields(ObjectNode o, String name, String start, String end) {
        o.put("name", name);
        o.put("start_date", start);
        o.put("end_date", end);
    }

    ObjectNode course(long c) {
        if (countedCourses()) {
            ObjectNode o = F.objectNode();
            o.put("id", id(COURSE, c));
            o.put("district", districtId());
            o.put("name", courseName(c));
            o.put("number", "C" + (100 + c));
            return o;
        }
        int lv = (int) (c / 8);
        int subj = (int) (c % 8);
        ObjectNode o = F.objectNode();
        o.put("id", id(COURSE, c));
        o.put("district", districtId());
        o.put("name", Names.COURSE_NAMES[subj] + " (" + Names.LEVELS[lv] + ")");
        o.put("number", "C" + (100 + c));
        return o;
    }

    String courseName(long c) {
        if (countedCourses()) return Names.COURSE_NAMES[(int) (c % 8)] + " " + (101 + c / 8);
        return Names.COURSE_NAMES[(int) (c % 8)] + " (" + Names.LEVELS[(int) (c / 8)] + ")";
    }

    ObjectNode section(long s) {
        int sc = (int) (s / M);
        int q = (int) (s % M);
        int p = q % K;
        int r = q / K;
        String[] grades = Names.GRADES[level(sc)];
        long[] teachers = sectionTeachers(s);
        long course = sectionCourse(s);
        String period = String.valueOf(q % 4 + 1);
        ObjectNode o = F.objectNode();
        o.put("id", id(SECTION, s));
        o.put("district", districtId());
        o.put("school", id(SCHOOL, sc));
        o.put("created", ts(created(SECTION, s)));
        boolean renamed = rev >= 1 && sc == 0 && q == Q_RENAMED;
        o.put("last_modified", ts(sectionModified(s)));
        if (q != Q_NO_NAME) {
            String base = (course >= 0 ? courseName(course) : Names.COURSE_NAMES[q % 8])
                    + " - " + lastName(TEACHER, teachers[0]) + " - " + period;
            o.put("name", renamed ? base + " (Block B)" : base);
        }
        o.put("sis_id", "SEC-" + (100 + sc) + "-" + (q + 1));
        o.put("subject", q == Q_SUBJECT_OTHER ? "other" : Names.SUBJECTS[q % 8]);
        ArrayNode st = o.putArray("students");
        for (long i : sectionStudents(s)) st.add(id(STUDENT, i));
        o.put("teacher", id(TEACHER, teachers[0]));
        ArrayNode ts = o.putArray("teachers");
        for (long t : teachers) ts.add(id(TEACHER, t));
        if (course >= 0) o.put("course", id(COURSE, course));
        o.put("term_id", id(TERM, sectionTerm(s)));
        int g = (int) (Math.floorMod(r - p, R) * (long) grades.length / R);
        if (q == Q_GRADE_MISMATCH) g = (g + 1) % grades.length;
        o.put("grade", grades[g]);
        o.put("period", period);
        o.put("section_number", String.valueOf(q + 1));
        o.putObject("ext").put("classroom", "Room " + (100 + q));
        o.putObject("lms_status").put("synced_in_lms", false);
        return o;
    }

    private long sectionModified(long s) {
        long last = created(SECTION, s);
        // membership or term changes bump last_modified to the latest step that touched the section
        for (int r = Math.min(rev, 64); r >= 1; r--) {
            if (sectionTouchedAt(s, r)) return stepEpoch(r);
        }
        return last;
    }

    /** Whether revision step r changed section s (members, name or term). */
    boolean sectionTouchedAt(long s, int r) {
        int sc = (int) (s / M);
        int q = (int) (s % M);
        if (r == 1 && ((sc == 0 && q == Q_RENAMED) || (termSlot(q) == 1 && q != Q_UNSHARED_TERM))) return true;
        if (q == 0) return true; // a new student joins section 0 of every school at every step
        long j = 16 + 4L * (r - 1);
        if (j >= schoolSize(sc)) return false;
        int p = q % K;
        return Math.floorMod(j + p, R) == q / K;
    }

    String firstName(int kind, long i) {
        return Names.FIRST[pick(kind, i, 1, Names.FIRST.length)];
    }

    String lastName(int kind, long i) {
        if (kind == TEACHER && i == 0) return "Muñoz-García";
        String last = Names.LAST[pick(kind, i, 2, Names.LAST.length)];
        if (kind == STUDENT && i < N) {
            int r = renamedStep(local(i));
            if (r >= 1 && r <= rev) {
                String renamed = Names.LAST[pick(kind, i, 50 + r, Names.LAST.length)];
                last = renamed.equals(last) ? renamed + "-Reyes" : renamed;
            }
        }
        return last;
    }

    ObjectNode user(int kind, long i) {
        ObjectNode o = F.objectNode();
        o.put("id", id(kind, i));
        o.put("district", districtId());
        o.put("created", ts(kind == STUDENT && i >= N ? stepEpoch((int) ((i - N) / S) + 1) : created(kind, i)));
        o.put("last_modified", ts(userModified(kind, i)));
        ObjectNode roles;
        switch (kind) {
            case STUDENT -> roles = student(o, i);
            case TEACHER -> roles = teacher(o, i);
            case STAFF -> {
                o.put("email", "staff." + (300000 + i) + "@" + domain);
                name(o, firstName(kind, i), null, lastName(kind, i));
                roles = F.objectNode();
                roles.set("staff", staffRole(STAFF, i, userSchools(STAFF, i), "Counselor"));
            }
            case ADMIN -> {
                boolean superintendent = i == 0;
                o.put("email", superintendent ? "superintendent@" + domain : "admin." + (500000 + i) + "@" + domain);
                name(o, superintendent ? "Morgan" : firstName(kind, i), null, superintendent ? "Avery" : lastName(kind, i));
                roles = F.objectNode();
                ObjectNode da = roles.putObject("district_admin");
                da.put("legacy_id", id(ADMIN, i));
                da.put("title", superintendent ? "Superintendent" : "District Administrator");
            }
            case CONTACT -> roles = contact(o, i);
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        o.set("roles", roles);
        o.putObject("lms_status").put("synced_in_lms", false);
        return o;
    }

    private long userModified(int kind, long i) {
        if (kind == STUDENT && i < N) {
            long j = local(i);
            int r = Math.max(renamedStep(j), emailStep(j));
            if (j == J_NO_DOB && rev >= 1) r = Math.max(r, 1);
            if (r >= 1 && r <= rev) return stepEpoch(r);
        }
        if (kind == CONTACT) {
            int last = 0;
            for (long s = 2 * i; s <= 2 * i + 1 && s < N; s++) {
                int r = removedStep(local(s));
                if (r >= 1 && r <= rev) last = Math.max(last, r);
            }
            if (last > 0) return stepEpoch(last);
        }
        if (kind == STUDENT && i >= N) return stepEpoch((int) ((i - N) / S) + 1);
        return created(kind, i);
    }

    private static void name(ObjectNode user, String first, String middle, String last) {
        ObjectNode n = user.putObject("name");
        if (first != null) n.put("first", first);
        if (middle != null) n.put("middle", middle);
        if (last != null) n.put("last", last);
    }

    private ObjectNode student(ObjectNode o, long i) {
        int sc = schoolOfStudent(i);
        boolean fresh = i >= N;
        long j = fresh ? -1 : local(i);
        long number = 100000 + i;
        String first = firstName(STUDENT, i);
        String last = lastName(STUDENT, i);
        String middle = pick(STUDENT, i, 3, 3) == 0 ? null : String.valueOf((char) ('A' + pick(STUDENT, i, 4, 26)));
        if (j == J_UTF8) {
            first = "Zoë";
            middle = "Françoise à";
            last = "O'Brien-Núñez";
        } else if (j == J_UNTRIMMED) {
            first = "  " + first + "\u0007 ";
            last = last + "\t\u001F ";
        } else if (j == J_LONG_NAME) {
            first = "Maximiliana-" + "Alexandrina-".repeat(10) + first;
            last = "Wolfeschlegelsteinhausenbergerdorff-" + "Featherstonehaugh-".repeat(5) + last;
        }
        String email = "s" + number + "@students." + domain;
        if (j == J_LONG_EMAIL) {
            email = "s" + number + "." + "x".repeat(50) + "@" + "district-learning-platform-".repeat(8) + "students." + domain;
        } else if (slot(j) == J_DUP_EMAIL_B) {
            email = "s" + (number - 1) + "@students." + domain;
        }
        int er = emailStep(j);
        if (!fresh && er >= 1 && er <= rev) email = "s" + number + ".r" + er + "@students." + domain;
        o.put("email", email);
        name(o, first, middle, last);

        String[] grades = Names.GRADES[level(sc)];
        int gi = studentGradeIndex(i);
        int gradeNum = Names.FIRST_GRADE[level(sc)] + gi;
        int[] schools = userSchools(STUDENT, i);

        ObjectNode roles = F.objectNode();
        ObjectNode st = roles.putObject("student");
        st.putObject("credentials").put("district_username", "s" + number);
        if (!(j == J_NO_DOB && rev == 0) && !recurring(j, J_NO_DOB)) {
            int month = 1 + pick(STUDENT, i, 5, 12);
            int day = 1 + pick(STUDENT, i, 6, 28);
            if (j == J_SHORT_DOB) {
                month = 1 + pick(STUDENT, i, 5, 9);
                day = 1 + pick(STUDENT, i, 6, 9);
            }
            int year = 2025 - 6 - gradeNum + (month >= 9 ? 1 : 0);
            st.put("dob", month + "/" + day + "/" + year);
        }
        if (j == 0 || j == J_SENSITIVE_2) {
            st.put("ell_status", "Y");
            st.put("iep_status", "Y");
            st.put("frl_status", "Free");
        }
        ArrayNode enrollments = st.putArray("enrollments");
        for (int s : schools) {
            ObjectNode e = enrollments.addObject();
            e.put("school", id(SCHOOL, s));
            e.put("start_date", "2025-08-15");
            e.putNull("end_date");
        }
        st.putObject("ext").put("gifted_status", pick(STUDENT, i, 7, 10) == 0 ? "Y" : "");
        st.put("gender", Names.GENDERS[pick(STUDENT, i, 8, Names.GENDERS.length)]);
        st.put("grade", grades[gi]);
        if (j != J_NO_GRAD_YEAR) st.put("graduation_year", String.valueOf(2026 + 12 - gradeNum));
        st.put("hispanic_ethnicity", pick(STUDENT, i, 9, 3) == 0 ? "Y" : "N");
        ObjectNode loc = st.putObject("location");
        loc.put("address", (100 + pick(STUDENT, i, 10, 9000)) + " Maple Avenue");
        loc.put("city", Names.CITIES[sc % Names.CITIES.length]);
        loc.put("state", "IL");
        loc.put("zip", "6" + pad4(sc % 10000));
        st.put("race", Names.RACES[pick(STUDENT, i, 11, Names.RACES.length)]);
        st.put("school", id(SCHOOL, sc));
        ArrayNode sa = st.putArray("schools");
        for (int s : schools) sa.add(id(SCHOOL, s));
        st.put("sis_id", "S" + (slot(j) == J_DUP_SIS_B ? number - 1 : number));
        st.put("state_id", "IL" + (900000000L + i));
        st.put("student_number", String.valueOf(number));
        st.put("email", email);
        return roles;
    }

    private ObjectNode teacher(ObjectNode o, long t) {
        String first = firstName(TEACHER, t);
        String last = lastName(TEACHER, t);
        if (t == 0) first = "Àngel";
        o.put("email", namedStaff(t)
                ? (first + "." + last).toLowerCase(java.util.Locale.ROOT) + "@" + domain
                : "t" + (200000 + t) + "@" + domain);
        name(o, first, null, last);
        int[] schools = userSchools(TEACHER, t);
        ObjectNode roles = F.objectNode();
        ObjectNode te = roles.putObject("teacher");
        te.putObject("credentials").put("district_username", "t" + (200000 + t));
        te.putObject("ext").put("admin_permissions", teacherIsStaff(t) ? "school_admin" : "");
        te.put("legacy_id", id(TEACHER, t));
        te.put("school", id(SCHOOL, schoolOfTeacher(t)));
        ArrayNode sa = te.putArray("schools");
        for (int s : schools) sa.add(id(SCHOOL, s));
        te.put("sis_id", "T" + (200000 + t));
        te.putNull("state_id");
        te.put("teacher_number", String.valueOf(200000 + t));
        te.put("title", "Teacher");
        if (teacherIsStaff(t)) roles.set("staff", staffRole(TEACHER, t, schools, teacherIsAdmin(t) ? "Curriculum Director" : "Instructional Coach"));
        if (teacherIsAdmin(t)) {
            ObjectNode da = roles.putObject("district_admin");
            da.put("legacy_id", id(TEACHER, t));
            da.put("title", "Curriculum Director");
        }
        return roles;
    }

    private ObjectNode staffRole(int kind, long legacy, int[] schools, String title) {
        long number = (kind == STAFF ? 300000 : 310000) + legacy;
        ObjectNode sf = F.objectNode();
        sf.putObject("credentials").put("district_username", "f" + number);
        sf.put("department", "Student Services");
        sf.putObject("ext");
        sf.put("legacy_id", id(kind, legacy));
        sf.putArray("roles").add(title);
        ArrayNode sa = sf.putArray("schools");
        for (int s : schools) sa.add(id(SCHOOL, s));
        sf.put("staff_id", "F" + number);
        sf.put("title", title);
        return sf;
    }

    private ObjectNode contact(ObjectNode o, long c) {
        if (pick(CONTACT, c, 3, 4) != 0) o.put("email", "family." + (400000 + c) + "@example.net");
        // Clever puts a contact's full name in name.last
        name(o, null, null, firstName(CONTACT, c) + " " + Names.LAST[pick(STUDENT, Math.min(2 * c, N - 1), 2, Names.LAST.length)]);
        ObjectNode roles = F.objectNode();
        ObjectNode ct = roles.putObject("contact");
        ct.put("legacy_id", id(CONTACT, c));
        ct.put("phone", "555-" + pad4(pick(CONTACT, c, 4, 10000)));
        ct.put("phone_type", "Cell");
        ct.put("sis_id", "C" + (400000 + c));
        ArrayNode rel = ct.putArray("student_relationships");
        for (long i : contactStudents(c)) {
            ObjectNode r = rel.addObject();
            r.put("student", id(STUDENT, i));
            r.put("relationship", pick(CONTACT, c, 5, 4) == 0 ? "Grandparent" : "Parent");
            r.put("type", "Parent/Guardian");
        }
        return roles;
    }

    // ---------------------------------------------------------------- counts, quirks, changes

    long removedStudents() {
        long n = 0;
        for (int sc = 0; sc < S; sc++) {
            for (int r = 1; r <= rev; r++) {
                if (16 + 4L * (r - 1) < schoolSize(sc)) n++;
            }
        }
        return n;
    }

    public DistrictCounts counts() {
        long students = N - removedStudents() + (long) rev * S;
        long teachers = (long) S * T + S;
        long pureStaff = (long) S * SP - (rev >= 1 && SP >= 2 ? 1 : 0);
        long users = A + pureStaff + teachers + students + C;
        Map<String, Long> byRole = new LinkedHashMap<>();
        byRole.put("student", students);
        byRole.put("teacher", teachers);
        byRole.put("staff", pureStaff + multiRoleTeachers());
        byRole.put("district_admin", A + 1L);
        byRole.put("contact", C);
        return new DistrictCounts(1, S, NT, courseCount(), sectionCount(), users, byRole);
    }

    public Map<Quirk, List<String>> quirks() {
        Map<Quirk, List<String>> q = new EnumMap<>(Quirk.class);
        for (Quirk k : Quirk.values()) q.put(k, new ArrayList<>());
        int sample = 100;
        q.get(Quirk.MULTI_ROLE_TEACHER_STAFF).add(id(TEACHER, 1));
        if (P > 0) {
            for (long t = 1 + P; t < (long) S * T; t += P) if (teacherIsStaff(t)) q.get(Quirk.MULTI_ROLE_TEACHER_STAFF).add(id(TEACHER, t));
        }
        q.get(Quirk.MULTI_ROLE_TEACHER_STAFF_ADMIN).add(id(TEACHER, 2));
        for (long a = 0; a < A; a++) q.get(Quirk.DISTRICT_ADMIN).add(id(ADMIN, a));
        q.get(Quirk.DISTRICT_ADMIN).add(id(TEACHER, 2));
        for (long s = 0; s < (long) S * SP; s++) if (staffExists(s)) q.get(Quirk.STAFF_SCHOOLS_ONLY).add(id(STAFF, s));
        for (long c = 0; c < Math.min(C, sample); c++) q.get(Quirk.CONTACT).add(id(CONTACT, c));
        q.get(Quirk.NAME_UTF8).add(id(TEACHER, 0));
        for (int sc = 0; sc < S; sc++) {
            long st = studentStart(sc);
            add(q, Quirk.STUDENT_NO_SECTIONS, STUDENT, st + J_CLASSLESS);
            q.get(Quirk.TEACHER_NO_SECTIONS).add(id(TEACHER, (long) S * T + sc));
            if (S >= 2) {
                add(q, Quirk.USER_MULTI_SCHOOL, STUDENT, st + J_MULTI_SCHOOL);
                q.get(Quirk.USER_MULTI_SCHOOL).add(id(TEACHER, (long) sc * T));
                q.get(Quirk.SECTION_CO_TEACHERS).add(id(SECTION, (long) sc * M + Q_GRADE_MISMATCH));
            }
            if (q.get(Quirk.STUDENT_MULTIPLE_SECTIONS).size() < sample) add(q, Quirk.STUDENT_MULTIPLE_SECTIONS, STUDENT, st);
            if (rev == 0) add(q, Quirk.STUDENT_MISSING_DOB, STUDENT, st + J_NO_DOB);
            if (q.get(Quirk.DOB_M_D_YYYY).size() < sample) add(q, Quirk.DOB_M_D_YYYY, STUDENT, st + J_SHORT_DOB);
            add(q, Quirk.STUDENT_MISSING_GRADUATION_YEAR, STUDENT, st + J_NO_GRAD_YEAR);
            add(q, Quirk.NAME_UTF8, STUDENT, st + J_UTF8);
            add(q, Quirk.NAME_UNTRIMMED_CONTROL_CHARS, STUDENT, st + J_UNTRIMMED);
            add(q, Quirk.NAME_TOO_LONG, STUDENT, st + J_LONG_NAME);
            add(q, Quirk.EMAIL_TOO_LONG, STUDENT, st + J_LONG_EMAIL);
            add(q, Quirk.DUPLICATE_EMAIL, STUDENT, st + J_DUP_EMAIL_A);
            add(q, Quirk.DUPLICATE_EMAIL, STUDENT, st + J_DUP_EMAIL_B);
            add(q, Quirk.DUPLICATE_SIS_ID, STUDENT, st + J_DUP_SIS_A);
            add(q, Quirk.DUPLICATE_SIS_ID, STUDENT, st + J_DUP_SIS_B);
            add(q, Quirk.SENSITIVE_FIELDS, STUDENT, st);
            add(q, Quirk.SENSITIVE_FIELDS, STUDENT, st + J_SENSITIVE_2);
            if (P > 0) recurringQuirks(q, st, schoolSize(sc));
            long s0 = (long) sc * M;
            q.get(Quirk.SECTION_TERM_NOT_SHARED).add(id(SECTION, s0 + Q_UNSHARED_TERM));
            q.get(Quirk.SECTION_NO_NAME).add(id(SECTION, s0 + Q_NO_NAME));
            q.get(Quirk.SECTION_SUBJECT_OTHER).add(id(SECTION, s0 + Q_SUBJECT_OTHER));
            q.get(Quirk.SECTION_GRADE_MISMATCH).add(id(SECTION, s0 + Q_GRADE_MISMATCH));
            if (courses) q.get(Quirk.SECTION_NO_COURSE).add(id(SECTION, s0 + Q_NO_COURSE));
        }
        if (!courses) {
            for (long s = 0; s < Math.min(sectionCount(), sample); s++) q.get(Quirk.SECTION_NO_COURSE).add(id(SECTION, s));
        }
        q.get(Quirk.TERM_DELETED_NOT_SHARED).add(id(TERM, TERM_UNSHARED));
        List<String> samples = List.of(id(ADMIN, 0), id(STAFF, 0), id(TEACHER, 3 % ((long) S * T)), id(STUDENT, studentStart(0) + 19),
                id(CONTACT, 0), id(SECTION, 0));
        q.get(Quirk.UNKNOWN_FIELDS).addAll(samples);
        q.get(Quirk.EXT_OBJECTS).addAll(List.of(id(SCHOOL, 0), id(TEACHER, 3 % ((long) S * T)), id(STUDENT, studentStart(0) + 19), id(SECTION, 0)));
        Map<Quirk, List<String>> out = new EnumMap<>(Quirk.class);
        q.forEach((k, v) -> out.put(k, List.copyOf(new TreeSet<>(v))));
        return out;
    }

    /** The recurring copies of the common quirks in one school (local indexes P and up). */
    private void recurringQuirks(Map<Quirk, List<String>> q, long start, long size) {
        for (long j0 = P; j0 < size; j0 += P) {
            if (j0 + J_NO_DOB < size) add(q, Quirk.STUDENT_MISSING_DOB, STUDENT, start + j0 + J_NO_DOB);
            if (j0 + J_CLASSLESS < size) add(q, Quirk.STUDENT_NO_SECTIONS, STUDENT, start + j0 + J_CLASSLESS);
            if (j0 + J_DUP_EMAIL_B < size && emailUnchanged(j0 + J_DUP_EMAIL_A) && emailUnchanged(j0 + J_DUP_EMAIL_B)) {
                addPair(q, Quirk.DUPLICATE_EMAIL, start + j0 + J_DUP_EMAIL_A);
            }
            if (j0 + J_DUP_SIS_B < size) addPair(q, Quirk.DUPLICATE_SIS_ID, start + j0 + J_DUP_SIS_A);
        }
    }

    private boolean emailUnchanged(long j) {
        int r = emailStep(j);
        return r == 0 || r > rev;
    }

    /** Students i and i+1, when both exist (a duplicate needs both). */
    private void addPair(Map<Quirk, List<String>> q, Quirk quirk, long i) {
        if (studentExists(i) && studentExists(i + 1)) {
            q.get(quirk).add(id(STUDENT, i));
            q.get(quirk).add(id(STUDENT, i + 1));
        }
    }

    private void add(Map<Quirk, List<String>> q, Quirk quirk, int kind, long i) {
        if (exists(KeySource.key(kind, i))) q.get(quirk).add(id(kind, i));
    }

    /** What changed from the previous revision to this one (empty lists at revision 0). */
    public Map<Change, List<String>> changes() {
        Map<Change, List<String>> c = new EnumMap<>(Change.class);
        for (Change k : Change.values()) c.put(k, new ArrayList<>());
        if (rev >= 1) {
            int r = rev;
            for (int sc = 0; sc < S; sc++) {
                long st = studentStart(sc);
                long n = schoolSize(sc);
                long j = 16 + 4L * (r - 1);
                if (j < n) c.get(Change.USER_REMOVED).add(id(STUDENT, st + j));
                if (j + 1 < n) c.get(Change.USER_RENAMED).add(id(STUDENT, st + j + 1));
                if (j + 2 < n) c.get(Change.USER_EMAIL_CHANGED).add(id(STUDENT, st + j + 2));
                c.get(Change.USER_CREATED).add(id(STUDENT, N + (long) (r - 1) * S + sc));
                if (r == 1) c.get(Change.USER_GAINED_DOB).add(id(STUDENT, st + J_NO_DOB));
            }
            if (r == 1) {
                if (SP >= 2) c.get(Change.USER_REMOVED).add(id(STAFF, 1));
                c.get(Change.SECTION_RENAMED).add(id(SECTION, Q_RENAMED));
                c.get(Change.TERM_REMOVED).add(id(TERM, 1));
                c.get(Change.TERM_CREATED).add(id(TERM, TERM_RECREATED));
            }
        }
        Map<Change, List<String>> out = new EnumMap<>(Change.class);
        c.forEach((k, v) -> out.put(k, List.copyOf(new TreeSet<>(v))));
        return out;
    }

    /** Keys that may differ between revision step r-1 and r (a superset; the events feed diffs them). */
    long[] candidatesOfStep(int r) {
        TreeSet<Long> keys = new TreeSet<>();
        DistrictModel before = new DistrictModel(spec, r - 1);
        for (int sc = 0; sc < S; sc++) {
            long st = studentStart(sc);
            long n = schoolSize(sc);
            long j = 16 + 4L * (r - 1);
            for (long d = 0; d < 3; d++) {
                if (j + d < n) keys.add(KeySource.key(STUDENT, st + j + d));
            }
            if (j < n) {
                long i = st + j;
                if (i / 2 < C) keys.add(KeySource.key(CONTACT, i / 2));
                for (long s : before.studentSections(i)) keys.add(KeySource.key(SECTION, s));
            }
            long fresh = N + (long) (r - 1) * S + sc;
            keys.add(KeySource.key(STUDENT, fresh));
            keys.add(KeySource.key(SECTION, (long) sc * M));
            if (r == 1) keys.add(KeySource.key(STUDENT, st + J_NO_DOB));
        }
        if (r == 1) {
            keys.add(KeySource.key(STAFF, 1));
            keys.add(KeySource.key(TERM, 1));
            keys.add(KeySource.key(TERM, TERM_RECREATED));
            for (long s = 0; s < sectionCount(); s++) {
                int q = (int) (s % M);
                if (termSlot(q) == 1 || (s == Q_RENAMED)) keys.add(KeySource.key(SECTION, s));
            }
        }
        long[] out = new long[keys.size()];
        int k = 0;
        for (long key : keys) out[k++] = key;
        return out;
    }

    /** A small growable long array. */
    static final class LongList {
        private long[] a = new long[16];
        private int n;

        void add(long v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        long[] sorted() {
            long[] r = Arrays.copyOf(a, n);
            Arrays.sort(r);
            return r;
        }
    }
}
