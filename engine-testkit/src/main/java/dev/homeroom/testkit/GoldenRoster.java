package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.store.StoreConfig;
import dev.homeroom.testkit.internal.FixtureServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A golden-roster test for a district plugin (or edited rules) in a few lines: one district fixture — the
 * {@link SyntheticDistrict} simulator with a seed, or a directory of JSON files in Clever's response shape — synced
 * once with the plugin on an in-memory H2 store, then asserted record by record or compared with a golden file.
 *
 * <pre>{@code
 * try (GoldenRoster roster = GoldenRoster.builder()
 *         .plugin(new MyPlugin()).enableFor("my-plugin")           // the "districts" setting = the fixture's district
 *         .simulator(DistrictSpec.builder().students(80).seed(7).build())
 *         .sync()) {
 *     roster.user(someId).isSkippedBy("P1-SKIP-CLASSLESS-STUDENT");
 *     roster.section(otherId).hasValue("name", "Math 7");
 *     roster.assertMatchesGolden(Path.of("src/test/resources/golden/district-7.txt"));
 * }
 * }</pre>
 *
 * <p>Only the engine's public API is used ({@code sync}, {@code explain}, {@code warnings}, {@code pendingChanges}), so
 * the test sees what a host sees. The golden file lists every record of the fixture with its outcome, the rules that
 * decided it with their reasons, its fillers, cleaned values, warnings and provisioned values. A missing golden file is
 * written (and the test passes) unless the environment says {@code CI=true}; {@code -Dhomeroom.golden.update=true}
 * rewrites it after a deliberate change. A difference fails with a diff per record.
 */
@API(status = EXPERIMENTAL)
public final class GoldenRoster implements AutoCloseable {
    /** Set to {@code true} to rewrite golden files with what the engine decides now. */
    public static final String UPDATE_PROPERTY = "homeroom.golden.update";
    static final List<String> KINDS = List.of("schools", "terms", "courses", "sections", "users");
    private static final Logger LOG = LoggerFactory.getLogger(GoldenRoster.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Provisioned values that change from run to run, not with the data: left out of golden files. */
    private static final Pattern VOLATILE = Pattern.compile(".*(_at|_run|run_id)$");

    private final SyncEngine engine;
    private final AutoCloseable server;
    private final SyntheticDistrict district;
    private final String districtId;
    private final SyncReport report;
    private final Map<String, List<String>> ids;
    private final Path policiesFile;

    private GoldenRoster(SyncEngine engine, AutoCloseable server, SyntheticDistrict district, String districtId, SyncReport report,
                         Map<String, List<String>> ids, Path policiesFile) {
        this.engine = engine;
        this.server = server;
        this.district = district;
        this.districtId = districtId;
        this.report = report;
        this.ids = ids;
        this.policiesFile = policiesFile;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The report of the full sync the roster ran. */
    public SyncReport report() {
        return report;
    }

    /** The engine, for anything else a test wants to ask it (warnings, pendingChanges, another sync). */
    public SyncEngine engine() {
        return engine;
    }

    public String districtId() {
        return districtId;
    }

    /** The synthetic district served, when the fixture is the simulator (for its quirk ids). */
    public SyntheticDistrict district() {
        if (district == null) {
            throw new IllegalStateException("this roster serves JSON fixtures, not the simulator");
        }
        return district;
    }

    /** The Clever ids the fixture serves for a collection ({@code schools, terms, courses, sections, users}), sorted. */
    public List<String> ids(String collection) {
        List<String> of = ids.get(collection);
        if (of == null) {
            throw new IllegalArgumentException("no collection " + collection + ": use one of " + KINDS);
        }
        return of;
    }

    public RecordAssert user(String cleverId) {
        return record("user", cleverId);
    }

    public RecordAssert section(String cleverId) {
        return record("section", cleverId);
    }

    public RecordAssert term(String cleverId) {
        return record("term", cleverId);
    }

    public RecordAssert course(String cleverId) {
        return record("course", cleverId);
    }

    public RecordAssert school(String cleverId) {
        return record("school", cleverId);
    }

    /** Any kind of record. */
    public RecordAssert record(String cleverId) {
        return record(null, cleverId);
    }

    private RecordAssert record(String kind, String cleverId) {
        return new RecordAssert(kind, cleverId, engine.explain(cleverId).orElse(null),
                "run " + report.runId() + " " + report.status() + (report.failure() == null ? "" : ": " + report.failure()));
    }

    /**
     * The run's warnings that belong to no record, e.g. a plugin's supplemental row that matches no user
     * ({@code SUPPLEMENTAL_UNMATCHED}, with the row's key in the message); the golden file lists them first.
     */
    public List<dev.homeroom.engine.DataIssue> runWarnings() {
        return engine.warnings(report.runId(), 100_000).stream().filter(w -> w.cleverId() == null).toList();
    }

    /** The ids of one collection whose outcome is {@code outcome} by {@code ruleId}, e.g. every user SKIPPED by a rule. */
    public List<String> decidedBy(String collection, String outcome, String ruleId) {
        List<String> out = new ArrayList<>();
        for (String id : ids(collection)) {
            engine.explain(id).filter(e -> outcome.equals(e.outcome()))
                    .filter(e -> e.decisions().stream().anyMatch(l -> ruleId.equals(l.rule()) && outcome.equals(l.outcome())))
                    .ifPresent(e -> out.add(id));
        }
        return out;
    }

    /** Every record's outcome as the golden file holds it: one block per record, kinds in sync order, ids sorted. */
    public String outcomes() {
        StringBuilder out = new StringBuilder();
        out.append("# golden roster of district ").append(districtId).append(": run ").append(report.status());
        if (report.failure() != null) {
            out.append(" (").append(report.failure()).append(')');
        }
        out.append('\n');
        out.append("# plugins: ").append(String.join(", ", engine.pluginNames())).append('\n');
        runWarnings().stream().map(w -> "run warning " + w.code() + (w.field() == null ? "" : " " + w.field()) + " by " + w.rule() + ": "
                + w.message()).sorted().forEach(l -> out.append(l).append('\n'));
        for (String collection : KINDS) {
            for (String id : ids.get(collection)) {
                out.append(block(collection.substring(0, collection.length() - 1), id));
            }
        }
        return out.toString();
    }

    private String block(String kind, String id) {
        Explanation e = engine.explain(id).orElse(null);
        StringBuilder b = new StringBuilder(kind).append(' ').append(id).append(' ');
        if (e == null) {
            return b.append("NOT STORED\n").toString();
        }
        b.append(e.outcome()).append('\n');
        if (!e.roles().isEmpty()) {
            b.append("  roles ").append(String.join(",", e.roles())).append(e.effectiveRole() == null ? "" : " as " + e.effectiveRole()).append('\n');
        }
        e.decisions().stream().map(l -> "  rule " + l.rule() + " " + l.outcome() + ": " + l.reason()).sorted().forEach(l -> b.append(l).append('\n'));
        e.fillers().stream().map(f -> "  filler " + f.field() + " = " + f.value() + " by " + f.rule()).sorted().forEach(l -> b.append(l).append('\n'));
        e.cleaned().stream().map(f -> "  cleaned " + f.field() + " = " + f.value() + " by " + f.rule()).sorted().forEach(l -> b.append(l).append('\n'));
        e.warnings().stream().map(w -> "  warning " + w.code() + (w.field() == null ? "" : " " + w.field()) + " by " + w.rule() + ": " + w.message())
                .sorted().forEach(l -> b.append(l).append('\n'));
        if (e.provisioned() != null) {
            new TreeMap<>(e.provisioned()).forEach((k, v) -> {
                if (!VOLATILE.matcher(k).matches()) {
                    b.append("  value ").append(k).append(" = ").append(v).append('\n');
                }
            });
        }
        return b.toString();
    }

    /**
     * Compares {@link #outcomes()} with a golden file: writes it when missing (failing instead under {@code CI=true}) or
     * when {@code -Dhomeroom.golden.update=true}; otherwise fails with the records that differ, line by line.
     */
    public void assertMatchesGolden(Path file) {
        String actual = outcomes();
        boolean update = Boolean.getBoolean(UPDATE_PROPERTY);
        try {
            if (!Files.exists(file) || update) {
                if (!update && "true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError("golden file " + file + " is missing (CI=true: not written); run the test once without CI "
                            + "or with -D" + UPDATE_PROPERTY + "=true and commit the file");
                }
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                LOG.warn("golden file {} written from this run: review and commit it", file.toAbsolutePath());
                return;
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            String diff = GoldenDiff.diff(expected, actual);
            if (!diff.isEmpty()) {
                throw new AssertionError("the roster differs from golden file " + file + " (- golden, + now):\n" + diff
                        + "\nIf the change is intended: rerun with -D" + UPDATE_PROPERTY + "=true and commit the file.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write golden file " + file, e);
        }
    }

    @Override
    public void close() {
        engine.close();
        try {
            server.close();
        } catch (Exception e) {
            LOG.debug("closing the fixture server: {}", e.toString());
        }
        if (policiesFile != null) {
            try {
                Files.deleteIfExists(policiesFile);
            } catch (IOException e) {
                LOG.debug("deleting {}: {}", policiesFile, e.toString());
            }
        }
    }

    /** Reads every id of every collection from the Clever API being served, following {@code next} links. */
    private static Map<String, List<String>> listIds(URI base, String token) {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String collection : KINDS) {
            TreeSet<String> found = new TreeSet<>();
            String next = "/v3.0/" + collection + "?limit=10000";
            while (next != null) {
                HttpRequest request = HttpRequest.newBuilder(base.resolve(next)).header("Authorization", "Bearer " + token).GET().build();
                JsonNode page;
                try {
                    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream body = response.body()) {
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("GET " + next + " answered " + response.statusCode());
                        }
                        page = JSON.readTree(body);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + collection + " from " + base, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted listing " + collection, e);
                }
                page.path("data").forEach(item -> found.add(item.path("data").path("id").asText()));
                next = null;
                for (JsonNode link : page.path("links")) {
                    if ("next".equals(link.path("rel").asText())) {
                        next = link.path("uri").asText();
                    }
                }
            }
            out.put(collection, List.copyOf(found));
        }
        return out;
    }

    /** What to sync: the plugin under test, its settings, the fixture, the policies. */
    @API(status = EXPERIMENTAL)
    public static final class Builder {
        private final List<DistrictPlugin> plugins = new ArrayList<>();
        private final List<String> enabled = new ArrayList<>();
        private final List<String[]> settings = new ArrayList<>();
        private final Map<String, String> policies = new LinkedHashMap<>();
        private boolean discoverPlugins;
        private SyntheticDistrict district;
        private Path fixture;
        private Path rulesDirectory;

        private Builder() {}

        /** A plugin to load (as a host passes one); class path discovery is off unless {@link #discoverPlugins()}. */
        public Builder plugin(DistrictPlugin plugin) {
            plugins.add(Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        /** Also load the plugins {@code ServiceLoader} finds on the test's class path. */
        public Builder discoverPlugins() {
            this.discoverPlugins = true;
            return this;
        }

        /** Sets the plugin's {@code districts} setting to the fixture's district, as a host enables a plugin for a district. */
        public Builder enableFor(String pluginName) {
            enabled.add(Objects.requireNonNull(pluginName, "pluginName"));
            return this;
        }

        public Builder pluginSetting(String pluginName, String key, String value) {
            settings.add(new String[] {pluginName, key, value});
            return this;
        }

        /** Serve the simulator's synthetic district for this spec (its seed decides every record). */
        public Builder simulator(DistrictSpec spec) {
            return district(SyntheticDistrict.of(spec));
        }

        public Builder district(SyntheticDistrict district) {
            this.district = Objects.requireNonNull(district, "district");
            this.fixture = null;
            return this;
        }

        /** Serve a directory of JSON fixtures: {@code districts.json}, {@code schools.json}, … in Clever's response shape. */
        public Builder fixture(Path directory) {
            this.fixture = Objects.requireNonNull(directory, "directory");
            this.district = null;
            return this;
        }

        /** One policy value over the shipped {@code policies.properties} (e.g. pin {@code school_year.end} for golden files). */
        public Builder policy(String key, String value) {
            policies.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Rules (and their {@code policies.properties}) to use instead of the shipped ones. */
        public Builder rulesDirectory(Path dir) {
            this.rulesDirectory = dir;
            return this;
        }

        /** Starts the fixture, runs one full sync on a fresh in-memory H2 store, and returns the roster to assert on. */
        public GoldenRoster sync() {
            if (district == null && fixture == null) {
                throw new IllegalStateException("no district: call simulator(spec), district(d) or fixture(dir)");
            }
            AutoCloseable server;
            URI base;
            String token;
            String districtId;
            if (district != null) {
                CleverSimulator sim = CleverSimulator.builder().district(district).build().start();
                server = sim;
                base = sim.baseUrl();
                token = sim.token();
                districtId = district.districtId();
            } else {
                FixtureServer fs = new FixtureServer(fixture).start();
                server = fs;
                base = fs.baseUrl();
                token = "golden-roster-token";
                districtId = fs.districtId();
            }
            Path policiesFile = null;
            try {
                SyncEngine.Builder b = SyncEngine.builder().cleverUrl(base.toString()).token(token)
                        .store(StoreConfig.h2Memory("golden" + UUID.randomUUID().toString().replace("-", "")))
                        .discoverPlugins(discoverPlugins).rulesDirectory(rulesDirectory);
                plugins.forEach(b::plugin);
                for (String name : enabled) {
                    b.pluginSetting(name, "districts", districtId);
                }
                settings.forEach(s -> b.pluginSetting(s[0], s[1], s[2]));
                if (!policies.isEmpty()) {
                    policiesFile = policiesWith(policies, rulesDirectory);
                    b.policiesFile(policiesFile);
                }
                SyncEngine engine = b.build();
                SyncReport report = engine.sync(SyncMode.FULL);
                return new GoldenRoster(engine, server, district, districtId, report, listIds(base, token), policiesFile);
            } catch (RuntimeException | Error e) {
                try {
                    server.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        /** The policies file in use (the rules directory's, else the shipped one) with these values in place of its own. */
        private static Path policiesWith(Map<String, String> overrides, Path rulesDirectory) {
            try {
                String base;
                Path own = rulesDirectory == null ? null : rulesDirectory.resolve("policies.properties");
                if (own != null && Files.exists(own)) {
                    base = Files.readString(own, StandardCharsets.UTF_8);
                } else {
                    try (InputStream in = GoldenRoster.class.getResourceAsStream("/homeroom/rules/policies.properties")) {
                        if (in == null) {
                            throw new IllegalStateException("the shipped policies.properties is not on the class path: add dev.homeroom:rules");
                        }
                        base = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
                StringBuilder out = new StringBuilder();
                for (String line : base.split("\n", -1)) {
                    String key = line.contains("=") && !line.strip().startsWith("#") ? line.substring(0, line.indexOf('=')).strip() : null;
                    if (key == null || !overrides.containsKey(key)) {
                        out.append(line).append('\n');
                    }
                }
                overrides.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
                Path file = Files.createTempFile("golden-roster-policies", ".properties");
                Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the golden roster's policies file", e);
            }
        }
    }
}
