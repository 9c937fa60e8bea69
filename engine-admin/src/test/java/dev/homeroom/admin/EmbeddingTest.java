package dev.homeroom.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.SyncMode;
import dev.homeroom.store.Vendor;
import dev.homeroom.testkit.Quirk;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * A host mounts the console's servlet under /admin in its own servlet container, behind its own authentication (here a
 * filter that puts the signed-in user on the request), and the console's links and forms stay under /admin.
 */
class EmbeddingTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void theHostMountsTheConsoleUnderItsOwnPathAndAuthentication() throws Exception {
        try (ConsoleFixture fixture = new ConsoleFixture(Vendor.H2, "", null, null)) {
            fixture.engine.sync(SyncMode.FULL);
            AdminAuthorizer hostUsers = new AdminAuthorizer() {
                @Override public Optional<AdminUser> identify(AdminRequest request) {
                    return request.attribute("app.user").map(u -> new AdminUser((String) u));
                }
                @Override public boolean maySee(AdminUser user, String districtId) {
                    return user.name().equals("grace@host.example");
                }
                @Override public boolean mayChange(AdminUser user, String districtId) {
                    return false;
                }
            };
            try (AdminConsole console = AdminConsole.builder(fixture.engine).authorizer(hostUsers).mountPath("/admin").build()) {
                Server host = new Server();
                ServerConnector connector = new ServerConnector(host);
                connector.setHost("127.0.0.1");
                host.addConnector(connector);
                ServletContextHandler app = new ServletContextHandler();
                Filter hostLogin = (req, res, chain) -> {
                    // the host's own authentication: here a header stands in for its session
                    String user = ((HttpServletRequest) req).getHeader("X-Host-Session");
                    if (user != null) {
                        req.setAttribute("app.user", user);
                    }
                    chain.doFilter(req, res);
                };
                app.addFilter(new FilterHolder(hostLogin), "/*", EnumSet.of(DispatcherType.REQUEST));
                app.addServlet(new ServletHolder(console.servlet()), "/admin/*");
                host.setHandler(app);
                host.start();
                try {
                    String base = "http://127.0.0.1:" + connector.getLocalPort();
                    String student = fixture.clever.district().idsWith(Quirk.STUDENT_NO_SECTIONS).get(1);
                    String path = "/admin/districts/" + fixture.districtId + "/records/" + student;

                    assertThat(send(base + path, null).statusCode()).isEqualTo(401);
                    var page = send(base + path, "grace@host.example");
                    assertThat(page.statusCode()).isEqualTo(200);
                    assertThat(page.body()).contains("P1-SKIP-CLASSLESS-STUDENT").contains("href=\"/admin/assets/console.css\"")
                            .contains("href=\"/admin/districts/" + fixture.districtId + "\"");
                    assertThat(send(base + "/admin/assets/console.css", "grace@host.example").body()).contains("table.grid");
                    assertThat(send(base + path, "mallory@host.example").statusCode()).isEqualTo(403);
                } finally {
                    host.stop();
                }
            }
        }
    }

    private static HttpResponse<String> send(String url, String user) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
        if (user != null) {
            r.header("X-Host-Session", user);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
