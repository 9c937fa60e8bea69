package dev.homeroom.admin.internal;

import dev.homeroom.admin.AdminAuthorizer;
import dev.homeroom.admin.AdminRequest;
import dev.homeroom.admin.AdminUser;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The standalone console's authorizer: one operator, who proves it with the token drawn at start (posted once to the
 * login form, never in a URL) and then carries a random session cookie (HttpOnly, SameSite=Strict). The operator may see
 * and change every district of the store.
 */
public final class StandaloneLogin implements AdminAuthorizer {
    static final String COOKIE = "homeroom_session";
    private static final AdminUser OPERATOR = new AdminUser("operator");
    private final SecureRandom random = new SecureRandom();
    private final String token = draw();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    public String token() {
        return token;
    }

    private String draw() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public Optional<AdminUser> identify(AdminRequest request) {
        return request.cookie(COOKIE).filter(sessions::contains).map(s -> OPERATOR);
    }

    @Override
    public boolean maySee(AdminUser user, String districtId) {
        return OPERATOR.equals(user);
    }

    @Override
    public boolean mayChange(AdminUser user, String districtId) {
        return OPERATOR.equals(user);
    }

    public void register(JavalinConfig config, ConsoleRoutes routes) {
        config.routes.get("/login", ctx -> {
            throw new Access.Refusal(HttpStatus.UNAUTHORIZED, "HR-ADMIN-002 sign in with the token the console printed when it started");
        });
        config.routes.post("/login", ctx -> {
            String sent = ctx.formParam("token");
            if (sent == null || !MessageDigest.isEqual(sent.strip().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                throw new Access.Refusal(HttpStatus.UNAUTHORIZED, "HR-ADMIN-009 that is not the token this console printed when it started");
            }
            String session = draw();
            sessions.add(session);
            ctx.cookie(new Cookie(COOKIE, session, "/", -1, false, true, null, SameSite.STRICT));
            ctx.redirect("/", HttpStatus.SEE_OTHER);
        });
    }
}
