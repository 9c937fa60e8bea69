package dev.homeroom.admin;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A host's authorizer as a test sets it up: the user is named by a cookie the test's browser or client sends
 * ({@code test_user}); each user sees the districts listed for them and may change those listed as changeable.
 */
record TestAuthorizer(Map<String, Set<String>> sees, Map<String, Set<String>> changes) implements AdminAuthorizer {
    static final String COOKIE = "test_user";

    @Override
    public Optional<AdminUser> identify(AdminRequest request) {
        return request.cookie(COOKIE).filter(sees::containsKey).map(AdminUser::new);
    }

    @Override
    public boolean maySee(AdminUser user, String districtId) {
        return sees.getOrDefault(user.name(), Set.of()).contains(districtId);
    }

    @Override
    public boolean mayChange(AdminUser user, String districtId) {
        return changes.getOrDefault(user.name(), Set.of()).contains(districtId);
    }
}
