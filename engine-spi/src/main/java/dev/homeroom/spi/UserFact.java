package dev.homeroom.spi;

import java.util.List;
import org.apiguardian.api.API;

/**
 * What the rules see about one user: the Clever record plus what a single record cannot say, derived in the store
 * before rules run (its sections, their schools, duplicates, the previous outcome).
 *
 * @param studentSectionCount  shared sections that list the user in {@code students}
 * @param teacherSectionCount  shared sections that list the user as teacher or co-teacher
 * @param sectionSchoolIds     distinct schools of those sections
 * @param previousOutcome      the outcome of the last run that decided this user, or null if none did
 */
@API(status = API.Status.STABLE)
public record UserFact(
        String districtId,
        User user,
        Change change,
        Outcome previousOutcome,
        int studentSectionCount,
        int teacherSectionCount,
        List<String> sectionSchoolIds,
        boolean duplicateEmail,
        boolean duplicateSisId) {

    public UserFact {
        sectionSchoolIds = Immutables.list(sectionSchoolIds);
    }

    public String id() {
        return user.id();
    }

    public List<String> roles() {
        return user.roles().names();
    }

    public boolean hasRole(String role) {
        return roles().contains(role);
    }

    public int roleCount() {
        return roles().size();
    }

    public boolean isGone() {
        return change == Change.GONE;
    }

    public int sectionCount() {
        return studentSectionCount + teacherSectionCount;
    }
}
