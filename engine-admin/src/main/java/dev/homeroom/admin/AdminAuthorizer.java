package dev.homeroom.admin;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The host's word on who may use the admin console: the console refuses every request without one. It is asked for
 * every request, so a revoked right takes effect at once.
 *
 * <pre>{@code
 * AdminAuthorizer authorizer = new AdminAuthorizer() {
 *     public Optional<AdminUser> identify(AdminRequest r) {          // 401 when empty
 *         return r.attribute("app.user").map(u -> new AdminUser(((AppUser) u).email()));
 *     }
 *     public boolean maySee(AdminUser u, String districtId) {        // 403 when false
 *         return directory.districtsOf(u.name()).contains(districtId);
 *     }
 *     public boolean mayChange(AdminUser u, String districtId) {     // approve, reject, select, edit, sync
 *         return maySee(u, districtId) && directory.isDistrictAdmin(u.name(), districtId);
 *     }
 * };
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL)
public interface AdminAuthorizer {
    /** Who this request comes from, or empty when it is not authenticated (the console answers 401). */
    Optional<AdminUser> identify(AdminRequest request);

    /** Whether this user may see the district's runs and records; a district they may not see is never listed. */
    boolean maySee(AdminUser user, String districtId);

    /**
     * Whether this user may change what the district's syncs do: approve or reject a halted plan, select sections, edit
     * display names and graduation years, start a sync. Asked only for a district {@link #maySee} allows.
     */
    boolean mayChange(AdminUser user, String districtId);
}
