package dev.homeroom.engine.internal;

import dev.homeroom.spi.DataWarning;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.User;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A user's schools that Clever does not share: the primary {@code school} and every entry of {@code schools} of each
 * role. One warning per user, naming them all (the primary school as field {@code school}, else {@code schools}).
 */
final class SchoolReferences {
    static final String RULE = "engine:derive";

    private SchoolReferences() {}

    static Optional<DataWarning> check(User u, Set<String> sharedSchools) {
        var r = u.roles();
        Set<String> primary = new LinkedHashSet<>();
        Set<String> listed = new LinkedHashSet<>();
        if (r.student() != null) {
            add(primary, r.student().school());
            r.student().schools().forEach(s -> add(listed, s));
        }
        if (r.teacher() != null) {
            add(primary, r.teacher().school());
            r.teacher().schools().forEach(s -> add(listed, s));
        }
        if (r.staff() != null) {
            r.staff().schools().forEach(s -> add(listed, s));
        }
        Set<String> missing = new LinkedHashSet<>();
        primary.stream().filter(s -> !sharedSchools.contains(s)).forEach(missing::add);
        boolean primaryMissing = !missing.isEmpty();
        listed.stream().filter(s -> !sharedSchools.contains(s)).forEach(missing::add);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String field = primaryMissing ? "school" : "schools";
        return Optional.of(new DataWarning(RecordKind.USER, u.id(), "UNKNOWN_REFERENCE", field,
                "user " + field + " points at school " + String.join(", ", missing) + ", which Clever does not share", RULE));
    }

    private static void add(Set<String> ids, String id) {
        if (ShadowMapper.validId(id)) {
            ids.add(id);
        }
    }
}
