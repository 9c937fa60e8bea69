package dev.homeroom.admin;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What an {@link AdminAuthorizer} may look at to tell who a request comes from: its headers, cookies, the attributes
 * the host's own filters set on it (e.g. a user its authentication put there), the servlet container's principal and
 * the client's address. Read-only.
 */
@API(status = API.Status.EXPERIMENTAL)
public interface AdminRequest {
    String method();

    /** The path below the console's mount point, e.g. {@code /runs/r-123}. */
    String path();

    Optional<String> header(String name);

    Optional<String> cookie(String name);

    /** A request attribute the host set before the console saw the request (a servlet filter's, for instance). */
    Optional<Object> attribute(String name);

    /** The servlet container's authenticated user name, when the host's container authenticates. */
    Optional<String> principal();

    String remoteAddress();
}
