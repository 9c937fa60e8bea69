package dev.homeroom.host;

import dev.homeroom.admin.AdminAuthorizer;
import dev.homeroom.admin.AdminConsole;
import dev.homeroom.admin.AdminRequest;
import dev.homeroom.admin.AdminUser;
import dev.homeroom.engine.RunInfo;
import dev.homeroom.engine.SyncEngine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code admin-timings}: requests each main page of the admin console over HTTP, on a store that is already synced, and
 * prints the median and the slowest of N requests per page. The console runs in this process on a free loopback port
 * with an authorizer that admits only this command (a random header); the store is only read.
 */
@Command(name = "admin-timings", description = {"Time the admin console's main pages on a synced store: each page requested N times over HTTP "
        + "(districts, runs, a run's warnings filtered and not, record search by name and by id, explain, staging with filters, "
        + "a plan's changes); prints median and max ms per page. Reads only."})
final class AdminTimingsCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--district", paramLabel = "ID", description = "the district (default: the store's first)")
    String district;

    @Option(names = "--times", paramLabel = "N", defaultValue = "20", description = "requests per page after 2 to warm up (default ${DEFAULT-VALUE})")
    int times;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (times < 1) {
            throw new dev.homeroom.engine.ConfigurationException("HR-ADMIN-044", "--times " + times + ": request each page at least once");
        }
        var out = spec.commandLine().getOut();
        String secret = UUID.randomUUID().toString();
        try (SyncEngine engine = store.readOnlyEngine();
             AdminConsole console = AdminConsole.builder(engine).authorizer(new HeaderAuthorizer(secret)).build()) {
            String d = district != null ? district : engine.districts(1, 0).stream().findFirst().map(x -> x.districtId())
                    .orElseThrow(() -> new dev.homeroom.engine.ConfigurationException("HR-ADMIN-045", "the store holds no district: sync one first"));
            Map<String, String> pages = pages(engine, d);
            String origin = "http://127.0.0.1:" + console.start("127.0.0.1", 0);
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            out.printf("%-34s %9s %9s  %s%n", "page", "median ms", "max ms", "path (HTTP status)");
            for (var page : pages.entrySet()) {
                long[] ms = new long[times];
                int status = 0;
                for (int i = -2; i < times; i++) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(origin + page.getValue())).header(HeaderAuthorizer.HEADER, secret).build();
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long t = (System.nanoTime() - t0) / 1_000_000;
                    status = response.statusCode();
                    if (i >= 0) {
                        ms[i] = t;
                    }
                }
                Arrays.sort(ms);
                out.printf("%-34s %9d %9d  %s (%d)%n", page.getKey(), ms[times / 2], ms[times - 1], page.getValue(), status);
                out.flush();
            }
            return HomeroomCli.OK;
        }
    }

    /** The pages to time, by name, with the inputs read from the store: its latest runs, a plan, a user, a school. */
    private static Map<String, String> pages(SyncEngine engine, String d) {
        Map<String, String> pages = new LinkedHashMap<>();
        String dp = "/districts/" + enc(d);
        pages.put("districts", "/");
        pages.put("district runs", dp);
        List<RunInfo> runs = engine.runs(d, 50, 0);
        RunInfo most = runs.stream().max(java.util.Comparator.comparingLong(r -> r.warnings() + r.errors())).orElse(null);
        if (most != null) {
            pages.put("run, warnings unfiltered", "/runs/" + enc(most.runId()));
            engine.issueCounts(most.runId()).stream().max(java.util.Comparator.comparingLong(c -> c.count())).ifPresent(c -> {
                pages.put("run, warnings by code", "/runs/" + enc(most.runId()) + "?code=" + enc(c.code()));
                pages.put("run, warnings by kind and code", "/runs/" + enc(most.runId()) + "?kind=" + enc(c.kind()) + "&code=" + enc(c.code()));
            });
            engine.issues(most.runId(), null, null, null, 0, 1).issues().stream().filter(i -> i.cleverId() != null).findFirst()
                    .ifPresent(i -> pages.put("run, warnings of a record", "/runs/" + enc(most.runId()) + "?record=" + enc(i.cleverId())));
        }
        var users = engine.records(d, "users", 500);
        if (!users.isEmpty()) {
            var user = users.get(users.size() / 2);
            if (user.label() != null && !user.label().isEmpty()) {
                pages.put("record search by name", dp + "/records?q=" + enc(user.label().substring(0, Math.min(3, user.label().length()))));
            }
            pages.put("record search by id", dp + "/records?q=" + enc(user.cleverId()));
            pages.put("explain a user", dp + "/records/" + enc(user.cleverId()));
        }
        var sections = engine.records(d, "sections", 1);
        sections.stream().findFirst().ifPresent(s -> pages.put("explain a section", dp + "/records/" + enc(s.cleverId())));
        pages.put("staging", dp + "/sections");
        var schools = engine.records(d, "schools", 1);
        schools.stream().findFirst().ifPresent(s -> {
            pages.put("staging by school", dp + "/sections?school=" + enc(s.cleverId()));
            pages.put("staging by school, grade, unselected", dp + "/sections?school=" + enc(s.cleverId()) + "&grade=5&selected=no");
        });
        runs.stream().filter(r -> !engine.plannedChangeCounts(r.runId()).isEmpty()).findFirst().ifPresent(p -> {
            String rp = "/runs/" + enc(p.runId());
            pages.put("plan: run page", rp);
            pages.put("plan: changes", rp + "/changes");
            pages.put("plan: changes of users", rp + "/changes?entity=user");
            var page = engine.plannedChanges(p.runId(), null, null, null, 60);
            if (page.next() != null) {
                pages.put("plan: changes, 2nd page", rp + "/changes?after=" + enc(page.next()));
            }
            page.changes().stream().findFirst().ifPresent(c -> pages.put("plan: changes by id prefix",
                    rp + "/changes?q=" + enc(c.key().substring(0, Math.min(8, c.key().length())))));
        });
        pages.put("custom groups: teachers", dp + "/groups");
        engine.groups().teachers(d, null, null, 1).stream().findFirst().ifPresent(t -> {
            pages.put("custom groups: teachers by id", dp + "/groups?q=" + enc(t.teacherId().substring(0, Math.min(20, t.teacherId().length()))));
            pages.put("custom groups of a teacher", dp + "/groups?teacher=" + enc(t.teacherId()));
        });
        pages.put("manual resources", dp + "/manual");
        pages.put("progress.json", dp + "/progress.json");
        return pages;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Admits the requests that carry this command's random secret, for every district. */
    private record HeaderAuthorizer(String secret) implements AdminAuthorizer {
        static final String HEADER = "X-Homeroom-Timings";

        @Override
        public Optional<AdminUser> identify(AdminRequest request) {
            return request.header(HEADER).filter(secret::equals).map(s -> new AdminUser("admin-timings"));
        }

        @Override
        public boolean maySee(AdminUser user, String districtId) {
            return true;
        }

        @Override
        public boolean mayChange(AdminUser user, String districtId) {
            return false;
        }
    }
}
