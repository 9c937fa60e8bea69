package dev.homeroom.spi;

import org.apiguardian.api.API;

/**
 * Rewrites Clever records of a district as they are fetched, before anything is stored (e.g. to clean a district's
 * section names). Every method defaults to leaving the record as it is. Returning null drops the record.
 */
@API(status = API.Status.STABLE)
public interface RecordTransformer {
    default School transformSchool(School school) {
        return school;
    }

    default Term transformTerm(Term term) {
        return term;
    }

    default Course transformCourse(Course course) {
        return course;
    }

    default Section transformSection(Section section) {
        return section;
    }

    default User transformUser(User user) {
        return user;
    }
}
