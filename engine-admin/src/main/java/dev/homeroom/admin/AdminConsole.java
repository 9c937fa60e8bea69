package dev.homeroom.admin;

import dev.homeroom.admin.internal.Access;
import dev.homeroom.admin.internal.ConsoleRoutes;
import dev.homeroom.admin.internal.StandaloneLogin;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.SyncEngine;
import io.javalin.Javalin;
import jakarta.servlet.Servlet;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin console: server-rendered pages over a {@link SyncEngine} for the people who run district syncs (runs,
 * warnings, explain, halted plans, staged sections, edits, live progress). The host mounts it under its own path and
 * authentication, or runs it standalone on loopback with a one-time token.
 *
 * <pre>{@code
 * AdminProgress progress = new AdminProgress();
 * SyncEngine engine = SyncEngine.builder().token(token).store(config).listener(progress).build();
 * AdminConsole console = AdminConsole.builder(engine).authorizer(myAuthorizer).progress(progress).mountPath("/admin").build();
 * servletContextHandler.addServlet(new ServletHolder(console.servlet()), "/admin/*");   // in the host's Jetty
 * // or: console.javalin().start("127.0.0.1", 8088);
 * }</pre>
 *
 * Without an {@link AdminAuthorizer} every request is refused (401) and nothing changes. Every change is a POST with a
 * CSRF token; templates escape every value they print.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class AdminConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminConsole.class);

    private final Javalin app;
    private final ExecutorService syncs;

    private AdminConsole(Javalin app, ExecutorService syncs) {
        this.app = app;
        this.syncs = syncs;
    }

    public static Builder builder(SyncEngine engine) {
        return new Builder(engine);
    }

    /** A console over this engine that asks this authorizer about every request, mounted at the root path. */
    public static AdminConsole create(SyncEngine engine, AdminAuthorizer authorizer) {
        return builder(engine).authorizer(authorizer).build();
    }

    /** The console as a Javalin application, not started: {@code start(host, port)} it, or take its {@link #servlet()}. */
    public Javalin javalin() {
        return app;
    }

    /**
     * Starts the console as a server of its own on {@code host:port} (0 for any free port), for a host or tool that does
     * not want to depend on Javalin; returns the port it listens on. {@link #close()} stops it.
     */
    public int start(String host, int port) {
        app.start(host, port);
        return app.port();
    }

    /**
     * The console as a plain HTTP servlet for the host's own servlet container (any jakarta.servlet 6 container), mapped
     * to {@code mountPath + "/*"}. Not Javalin's Jetty servlet, which needs Jetty's WebSocket components set up in the
     * host's context: the console uses no WebSocket.
     */
    public Servlet servlet() {
        return new io.javalin.http.servlet.JavalinServlet(app.unsafe);
    }

    /** Stops the server if it was started and waits for a sync the console started (30 s at most). */
    @Override
    public void close() {
        app.stop();
        syncs.shutdown();
        try {
            if (!syncs.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("HR-ADMIN-006 a sync the console started is still running after 30 s; it goes on in the background");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A console on 127.0.0.1 that requires the token it drew; the host shows the token to its operator once. */
    @API(status = API.Status.EXPERIMENTAL)
    public static final class Standalone implements AutoCloseable {
        private final AdminConsole console;
        private final String token;

        private Standalone(AdminConsole console, String token) {
            this.console = console;
            this.token = token;
        }

        /** The token that signs in; exchanged for a session cookie at the login form, never put in a URL. */
        public String token() {
            return token;
        }

        public int port() {
            return console.app.port();
        }

        AdminConsole console() {
            return console;
        }

        public String url() {
            return "http://127.0.0.1:" + port() + "/";
        }

        @Override
        public void close() {
            console.close();
        }

        @Override
        public String toString() {
            return "AdminConsole.Standalone[" + url() + ", token ***]";
        }
    }

    /** Builds a console; see {@link AdminConsole}. */
    @API(status = API.Status.EXPERIMENTAL)
    public static final class Builder {
        private final SyncEngine engine;
        private AdminAuthorizer authorizer;
        private AdminProgress progress;
        private String mountPath = "";
        private java.util.function.Function<String, java.util.Optional<SyncEngine>> engines;

        private Builder(SyncEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** Who may see and change what; without one the console refuses every request. */
        public Builder authorizer(AdminAuthorizer authorizer) {
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /** The listener the host added to its engines, whose runs the progress page shows. */
        public Builder progress(AdminProgress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * The engine that syncs and approves each district (its Clever token is that district's), or empty for a district
         * the console may show but not sync. Default: the console's engine, for the district its token is bound to.
         */
        public Builder engines(java.util.function.Function<String, java.util.Optional<SyncEngine>> engines) {
            this.engines = Objects.requireNonNull(engines, "engines");
            return this;
        }

        /** The path the host mounts the console under, e.g. {@code /admin} (default: the root). */
        public Builder mountPath(String path) {
            if (path == null || !(path.isEmpty() || path.matches("(/[A-Za-z0-9._~-]+)+"))) {
                throw new ConfigurationException("HR-ADMIN-007", "mount path '" + path + "' is not a path such as /admin (no trailing slash)");
            }
            this.mountPath = path;
            return this;
        }

        public AdminConsole build() {
            if (authorizer == null) {
                LOG.warn("HR-ADMIN-001 the admin console has no AdminAuthorizer: it refuses every request (AdminConsole.builder(engine).authorizer(…))");
            }
            return build(new Access(authorizer), null);
        }

        /**
         * Starts the console on 127.0.0.1:{@code port} (0 for any free port) with its own authorizer: one operator who
         * signs in with the returned token and may see and change every district. The mount path and any authorizer
         * set are not used.
         */
        public Standalone standalone(int port) {
            if (port < 0 || port > 65_535) {
                throw new ConfigurationException("HR-ADMIN-008", "port " + port + " is out of range: use 1 to 65535 (0 for any free port)");
            }
            StandaloneLogin login = new StandaloneLogin();
            mountPath = "";
            AdminConsole console = build(new Access(login), login);
            console.app.start("127.0.0.1", port);
            return new Standalone(console, login.token());
        }

        private AdminConsole build(Access access, StandaloneLogin login) {
            ExecutorService syncs = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "homeroom-admin-sync");
                t.setDaemon(true);
                return t;
            });
            var byDistrict = engines != null ? engines
                    : (java.util.function.Function<String, java.util.Optional<SyncEngine>>) d -> engine.tokenDistrict().filter(d::equals).map(x -> engine);
            ConsoleRoutes routes = new ConsoleRoutes(engine, byDistrict, access, progress, syncs, mountPath);
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jetty.modifyServer(server -> server.setStopTimeout(2_000));
                routes.register(config);
                if (login != null) {
                    routes.offerLogin();
                    login.register(config, routes);
                }
            });
            return new AdminConsole(app, syncs);
        }
    }
}
