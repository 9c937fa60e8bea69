package dev.homeroom.admin;

import java.util.Objects;
import org.apiguardian.api.API;

/** Who a request to the console comes from, as the host's {@link AdminAuthorizer} identified them. */
@API(status = API.Status.EXPERIMENTAL)
public record AdminUser(String name) {
    public AdminUser {
        Objects.requireNonNull(name, "name");
    }
}
