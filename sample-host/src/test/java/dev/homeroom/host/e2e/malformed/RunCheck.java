package dev.homeroom.host.e2e.malformed;

import dev.homeroom.engine.DataIssue;
import dev.homeroom.engine.Explanation;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.SyncReport;
import dev.homeroom.engine.SyncStatus;
import dev.homeroom.host.e2e.malformed.MalformedDistrict.Expect;
import dev.homeroom.host.e2e.malformed.MalformedDistrict.Item;
import dev.homeroom.host.e2e.malformed.MalformedDistrict.Shape;
import dev.homeroom.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Serves one {@link MalformedDistrict}, syncs it with the real engine, and checks issue 4 item 5 on the result: the run
 * neither fails nor throws, every valid record is processed, every bad one is reported with its id and a reason, and
 * valid UTF-8 names reach the host byte for byte. Every violation is collected, so one failure shows them all.
 */
public final class RunCheck {
    public static final String TOKEN = "malformed-district-token";
    /** Codes the engine gives a record it could not read at all. */
    static final Set<String> UNREADABLE = Set.of("INVALID_RECORD", "INVALID_ID", "DUPLICATE_ID");

    /** What one run showed: the violations, and how many names were compared (a check that never runs proves nothing). */
    public record Result(List<String> violations, int namesCompared, SyncReport report, List<DataIssue> warnings) {}

    private RunCheck() {}

    /**
     * @param unreported malformations whose report is not checked (known engine defects, each shown by its own test);
     *                   everything else about the run still is
     */
    public static Result run(MalformedDistrict district, StoreConfig store, Set<Shape> unreported) throws Exception {
        List<String> violations = new ArrayList<>();
        int namesCompared = 0;
        SyncReport report;
        List<DataIssue> warnings;
        try (CleverStub clever = new CleverStub(TOKEN, district.districtJson, district.served());
             SyncEngine engine = SyncEngine.builder().cleverUrl(clever.baseUrl()).token(TOKEN).store(store)
                     .discoverPlugins(false).build()) {
            try {
                report = engine.sync(SyncMode.FULL);
            } catch (RuntimeException | Error e) {
                violations.add("sync threw " + e);
                return new Result(violations, 0, null, List.of());
            }
            if (report.status() == SyncStatus.FAILED) {
                violations.add("run " + report.runId() + " FAILED: " + report.failure());
                return new Result(violations, 0, report, List.of());
            }
            boolean malformed = district.items.stream().anyMatch(i -> i.expect() != MalformedDistrict.Expect.VALID);
            SyncStatus expectedStatus = malformed ? SyncStatus.SUCCEEDED_WITH_WARNINGS : SyncStatus.SUCCEEDED;
            if (report.status() != expectedStatus) {
                violations.add("run ended " + report.status() + " (guard: " + report.guard() + "), not " + expectedStatus);
            }
            for (String collection : List.of("schools", "terms", "courses", "sections", "users")) {
                long fetched = report.counts(collection).fetched();
                if (fetched != district.servedCount(collection)) {
                    violations.add(collection + ": fetched " + fetched + " but " + district.servedCount(collection) + " were served");
                }
            }
            warnings = engine.warnings(report.runId(), 10_000);
            for (Item item : district.items) {
                switch (item.expect()) {
                    case VALID -> namesCompared += checkValid(engine, item, violations);
                    case REPORTED -> {
                        if (!unreported.contains(item.shape())) {
                            checkReported(engine, warnings, item, violations);
                        }
                    }
                    case DUPLICATE -> {
                        if (unreported.contains(item.shape())) {
                            continue;
                        }
                        boolean reported = warnings.stream().anyMatch(w -> item.id().equals(w.cleverId())
                                && UNREADABLE.contains(w.code()) && hasText(w.message()));
                        if (!reported) {
                            violations.add(item.label() + ": second record with this id on the page not reported; warnings for it: "
                                    + about(warnings, item.id()));
                        }
                    }
                    case REPORTED_WITHOUT_ID -> { } // counted per kind below
                }
            }
            for (String collection : List.of("schools", "terms", "courses", "sections", "users")) {
                long expected = district.items.stream().filter(i -> i.collection().equals(collection)
                        && i.expect() == Expect.REPORTED_WITHOUT_ID && !unreported.contains(i.shape())).count();
                String kind = collection.substring(0, collection.length() - 1);
                long reported = warnings.stream().filter(w -> kind.equals(w.kind()) && w.cleverId() == null
                        && UNREADABLE.contains(w.code()) && hasText(w.message())).count();
                if (reported < expected) {
                    violations.add(collection + ": " + expected + " records without a usable id served, " + reported
                            + " reported (warnings without an id: " + warnings.stream().filter(w -> w.cleverId() == null).toList() + ")");
                }
            }
        }
        return new Result(violations, namesCompared, report, warnings);
    }

    private static int checkValid(SyncEngine engine, Item item, List<String> violations) {
        Optional<Explanation> found = engine.explain(item.id());
        if (found.isEmpty() || found.get().outcome() == null) {
            violations.add(item.label() + ": valid record silently lost (explain has no outcome)");
            return 0;
        }
        Explanation e = found.get();
        if (!item.collection().equals("users")) {
            return 0;
        }
        if (!Set.of("PROVISIONED", "SKIPPED").contains(e.outcome())) {
            violations.add(item.label() + ": valid user ended " + e.outcome() + " " + e.decisions());
            return 0;
        }
        if (e.decisions().isEmpty() || !hasText(e.decisions().get(0).rule())) {
            violations.add(item.label() + ": valid user ended " + e.outcome() + " with no rule named");
            return 0;
        }
        if (item.cleanFirstName() == null || !"PROVISIONED".equals(e.outcome())) {
            return 0;
        }
        Object actual = e.provisioned() == null ? null : e.provisioned().get("first_name");
        byte[] want = item.cleanFirstName().getBytes(StandardCharsets.UTF_8);
        byte[] got = actual == null ? null : actual.toString().getBytes(StandardCharsets.UTF_8);
        if (!item.cleanFirstName().equals(actual) || !Arrays.equals(want, got)) {
            violations.add(item.label() + ": first_name " + visible(actual) + " provisioned, but Clever sent " + visible(item.cleanFirstName()));
        }
        return 1;
    }

    /** Reported: a warning with its id that is about this malformation, or an ERROR/SKIPPED outcome with a reason. */
    private static void checkReported(SyncEngine engine, List<DataIssue> warnings, Item item, List<String> violations) {
        Shape shape = item.shape();
        boolean warned = warnings.stream().anyMatch(w -> item.id().equals(w.cleverId()) && hasText(w.message())
                && (shape.codes.contains(w.code()) || (shape.field != null && w.field() != null && w.field().startsWith(shape.field))));
        if (warned) {
            return;
        }
        Optional<Explanation> e = engine.explain(item.id());
        boolean decidedAgainst = e.isPresent() && Set.of("ERROR", "SKIPPED").contains(e.get().outcome())
                && !e.get().decisions().isEmpty() && hasText(e.get().decisions().get(0).reason());
        if (!decidedAgainst) {
            violations.add(item.label() + ": bad record not reported: no warning " + shape.codes + " with its id (it has "
                    + about(warnings, item.id()) + "), and explain says "
                    + e.map(x -> x.outcome() + " " + x.decisions() + ", provisioned " + abbreviated(x.provisioned()))
                            .orElse("nothing (never stored)"));
        }
    }

    private static String abbreviated(Map<String, Object> provisioned) {
        if (provisioned == null) {
            return "nothing";
        }
        Map<String, Object> shown = new java.util.LinkedHashMap<>();
        provisioned.forEach((k, v) -> shown.put(k, v instanceof String s ? visible(s) : v));
        return shown.toString();
    }

    private static List<String> about(List<DataIssue> warnings, String id) {
        return warnings.stream().filter(w -> id.equals(w.cleverId())).map(w -> w.code() + ": " + w.message()).toList();
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    /** A value with its non-ASCII and invisible characters spelled out, so a failure shows what differs. */
    public static String visible(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        StringBuilder sb = new StringBuilder("\"");
        for (char c : (s.length() > 60 ? s.substring(0, 60) : s).toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.append('"').append(s.length() > 60 ? "…(" + s.length() + " chars)" : "").toString();
    }

    /** The violations as one message, for a failed assertion. */
    public static String describe(MalformedDistrict district, Result result) {
        StringBuilder sb = new StringBuilder(district.toString());
        if (result.report() != null) {
            sb.append("\n  run ").append(result.report().runId()).append(' ').append(result.report().status())
                    .append(" counts ").append(Map.copyOf(result.report().counts()));
        }
        result.violations().forEach(v -> sb.append("\n  - ").append(v));
        return sb.toString();
    }
}
