package dev.homeroom.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A Clever user. One Clever id may hold several roles at once (teacher + staff + district admin);
 * {@link Roles} holds each role's own data.
 */
@API(status = API.Status.STABLE)
public record User(
        String id,
        String district,
        String email,
        Name name,
        String created,
        String lastModified,
        Roles roles) implements CleverRecord {

    public User {
        name = name == null ? Name.EMPTY : name;
        roles = roles == null ? Roles.NONE : roles;
    }

    @Override
    public RecordKind kind() {
        return RecordKind.USER;
    }

    public User withName(Name newName) {
        return new User(id, district, email, newName, created, lastModified, roles);
    }

    public User withEmail(String newEmail) {
        return new User(id, district, newEmail, name, created, lastModified, roles);
    }

    /** The roles a user holds, by their Clever key. */
    @API(status = API.Status.STABLE)
    public record Roles(Student student, Teacher teacher, Staff staff, DistrictAdmin districtAdmin, Contact contact) {
        public static final Roles NONE = new Roles(null, null, null, null, null);

        /** Role names present, highest first: district_admin, staff, teacher, student, contact. */
        public List<String> names() {
            List<String> names = new ArrayList<>(2);
            if (districtAdmin != null) names.add(Role.DISTRICT_ADMIN);
            if (staff != null) names.add(Role.STAFF);
            if (teacher != null) names.add(Role.TEACHER);
            if (student != null) names.add(Role.STUDENT);
            if (contact != null) names.add(Role.CONTACT);
            return List.copyOf(names);
        }
    }

    @API(status = API.Status.STABLE)
    public record Student(
            String created,
            Credentials credentials,
            String dob,
            String ellStatus,
            List<SchoolEnrollment> enrollments,
            Map<String, Object> ext,
            String gender,
            String grade,
            String graduationYear,
            String hispanicEthnicity,
            String lastModified,
            String legacyId,
            Location location,
            String race,
            String school,
            List<String> schools,
            String sisId,
            String stateId,
            String studentNumber,
            // v3.1 fields, optional in v3.0 responses; sensitive ones are dropped at fetch unless enabled (P20)
            String disability,
            String frlStatus,
            String giftedStatus,
            String homeLanguage,
            String homeLanguageCode,
            String iepStatus,
            String preferredName,
            String section504Status) {

        public Student {
            enrollments = Immutables.list(enrollments);
            schools = Immutables.list(schools);
            ext = Immutables.map(ext);
        }

        /** {@code dob} parsed from Clever's {@code M/D/YYYY}; empty when missing or invalid. */
        public java.util.Optional<java.time.LocalDate> dobDate() {
            return Dates.parseCleverDob(dob);
        }

        public Student withDob(String newDob) {
            return new Student(created, credentials, newDob, ellStatus, enrollments, ext, gender, grade, graduationYear,
                    hispanicEthnicity, lastModified, legacyId, location, race, school, schools, sisId, stateId,
                    studentNumber, disability, frlStatus, giftedStatus, homeLanguage, homeLanguageCode, iepStatus,
                    preferredName, section504Status);
        }
    }

    @API(status = API.Status.STABLE)
    public record SchoolEnrollment(String school, String startDate, String endDate) {}

    @API(status = API.Status.STABLE)
    public record Teacher(
            String created,
            Credentials credentials,
            String district,
            Map<String, Object> ext,
            String lastModified,
            String legacyId,
            Name name,
            String school,
            List<String> schools,
            String sisId,
            String stateId,
            String teacherNumber,
            String title) {

        public Teacher {
            schools = Immutables.list(schools);
            ext = Immutables.map(ext);
        }
    }

    @API(status = API.Status.STABLE)
    public record Staff(
            Credentials credentials,
            String department,
            Map<String, Object> ext,
            String legacyId,
            List<String> roles,
            List<String> schools,
            String staffId,
            String title) {

        public Staff {
            roles = Immutables.list(roles);
            schools = Immutables.list(schools);
            ext = Immutables.map(ext);
        }
    }

    @API(status = API.Status.STABLE)
    public record DistrictAdmin(String legacyId, String title) {}

    @API(status = API.Status.STABLE)
    public record Contact(String legacyId, String phone, String phoneType, String sisId,
                          List<StudentRelationship> studentRelationships) {
        public Contact {
            studentRelationships = Immutables.list(studentRelationships);
        }
    }

    @API(status = API.Status.STABLE)
    public record StudentRelationship(String student, String relationship, String type) {}
}
