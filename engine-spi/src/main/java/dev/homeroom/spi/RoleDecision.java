package dev.homeroom.spi;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The role a user's account gets (P2). {@code grantedRoles} are all roles kept as grants;
 * {@code separateAccount} is true when each role becomes its own account (SEPARATE_ACCOUNTS).
 */
@API(status = API.Status.STABLE)
public record RoleDecision(String cleverId, String effectiveRole, List<String> grantedRoles, boolean separateAccount,
                           String ruleId, String reason) {
    public RoleDecision {
        grantedRoles = Immutables.list(grantedRoles);
        reason = reason == null ? "" : reason;
    }
}
