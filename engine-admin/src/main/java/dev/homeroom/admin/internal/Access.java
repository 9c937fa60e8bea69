package dev.homeroom.admin.internal;

import dev.homeroom.admin.AdminAuthorizer;
import dev.homeroom.admin.AdminRequest;
import dev.homeroom.admin.AdminUser;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who a request comes from and what they may do, asked of the host's authorizer; and the CSRF token each form carries:
 * an HMAC of the user's name under a key this console drew at random when it started, so a page of another origin
 * cannot forge one and a token is worth nothing to another user or after a restart.
 */
public final class Access {
    static final String USER = "homeroom.admin.user";
    private final AdminAuthorizer authorizer;
    private final byte[] key = new byte[32];

    public Access(AdminAuthorizer authorizer) {
        this.authorizer = authorizer;
        new SecureRandom().nextBytes(key);
    }

    /** A request the host's filters or container saw, as the authorizer reads it. */
    static AdminRequest request(Context ctx, String path) {
        return new AdminRequest() {
            @Override public String method() { return ctx.method().name(); }
            @Override public String path() { return path; }
            @Override public Optional<String> header(String name) { return Optional.ofNullable(ctx.header(name)); }
            @Override public Optional<String> cookie(String name) { return Optional.ofNullable(ctx.cookie(name)); }
            @Override public Optional<Object> attribute(String name) { return Optional.ofNullable(ctx.req().getAttribute(name)); }
            @Override public Optional<String> principal() {
                return Optional.ofNullable(ctx.req().getUserPrincipal()).map(java.security.Principal::getName);
            }
            @Override public String remoteAddress() { return ctx.req().getRemoteAddr(); }
        };
    }

    /** The user, or a 401 that ends the request. */
    AdminUser identify(Context ctx, String path) {
        if (authorizer == null) {
            throw new Refusal(HttpStatus.UNAUTHORIZED, "HR-ADMIN-001 this console has no AdminAuthorizer: the host must supply one");
        }
        AdminUser user = authorizer.identify(request(ctx, path)).orElseThrow(() ->
                new Refusal(HttpStatus.UNAUTHORIZED, "HR-ADMIN-002 sign in first"));
        ctx.attribute(USER, user);
        return user;
    }

    void requireSee(AdminUser user, String districtId) {
        if (!authorizer.maySee(user, districtId)) {
            throw new Refusal(HttpStatus.FORBIDDEN, "HR-ADMIN-003 you may not see district " + districtId);
        }
    }

    void requireChange(AdminUser user, String districtId) {
        requireSee(user, districtId);
        if (!authorizer.mayChange(user, districtId)) {
            throw new Refusal(HttpStatus.FORBIDDEN, "HR-ADMIN-004 you may not change district " + districtId);
        }
    }

    boolean maySee(AdminUser user, String districtId) {
        return authorizer.maySee(user, districtId);
    }

    boolean mayChange(AdminUser user, String districtId) {
        return authorizer.maySee(user, districtId) && authorizer.mayChange(user, districtId);
    }

    String csrf(AdminUser user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(user.name().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A state-changing request must carry this user's token in its form; a 403 otherwise, before anything changes. */
    void requireCsrf(Context ctx, AdminUser user) {
        String sent = ctx.formParam("csrf");
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), csrf(user).getBytes(StandardCharsets.UTF_8))) {
            throw new Refusal(HttpStatus.FORBIDDEN, "HR-ADMIN-005 the form's CSRF token is missing or wrong: reload the page and try again");
        }
    }

    /** Ends a request with a status and a one-line message; nothing was changed. */
    public static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient HttpStatus status;

        Refusal(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
