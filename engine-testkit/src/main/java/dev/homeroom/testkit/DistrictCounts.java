package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * Exact numbers of records the simulator serves for one district state. {@code users} counts each
 * user once whatever its roles; {@code usersByRole} counts a multi-role user under each role (keys
 * {@code student, teacher, staff, district_admin, contact}), i.e. what {@code /users?role=X} returns.
 */
@API(status = EXPERIMENTAL)
public record DistrictCounts(long districts, long schools, long terms, long courses, long sections, long users,
        Map<String, Long> usersByRole) {

    public DistrictCounts {
        usersByRole = Map.copyOf(usersByRole);
    }

    /** Count for a collection name as in the URL ({@code districts, schools, terms, courses, sections, users}). */
    public long of(String kind) {
        return switch (kind) {
            case "districts" -> districts;
            case "schools" -> schools;
            case "terms" -> terms;
            case "courses" -> courses;
            case "sections" -> sections;
            case "users" -> users;
            default -> throw new IllegalArgumentException("unknown kind " + kind
                    + " (expected districts, schools, terms, courses, sections or users)");
        };
    }

    /** Users holding the role ({@code student, teacher, staff, district_admin, contact}). */
    public long role(String role) {
        Long n = usersByRole.get(role);
        if (n == null) throw new IllegalArgumentException("unknown role " + role);
        return n;
    }
}
