package dev.homeroom.spi;

import java.util.List;
import org.apiguardian.api.API;

/** Clever's role keys, as strings so that rules and reports read them as Clever writes them. */
@API(status = API.Status.STABLE)
public final class Role {
    public static final String DISTRICT_ADMIN = "district_admin";
    public static final String STAFF = "staff";
    public static final String TEACHER = "teacher";
    public static final String STUDENT = "student";
    public static final String CONTACT = "contact";

    /** Highest first: the order docs/POLICIES.md P2 uses for {@code roles.precedence}. */
    public static final List<String> PRECEDENCE = List.of(DISTRICT_ADMIN, STAFF, TEACHER, STUDENT, CONTACT);

    private Role() {}

    /** 0 for the highest role; unknown roles rank last. */
    public static int rank(String role) {
        int i = PRECEDENCE.indexOf(role);
        return i < 0 ? PRECEDENCE.size() : i;
    }
}
