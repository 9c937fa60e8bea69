package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
import static dev.homeroom.store.internal.jooq.Tables.SUPPLEMENTAL_ROW;
import static dev.homeroom.store.internal.jooq.Tables.SUPPLEMENTAL_STAGE;

import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.internal.jooq.tables.SupplementalRow;
import dev.homeroom.store.internal.jooq.tables.SupplementalStage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Supplemental data (SPI 1.2): the rows each plugin source read, as last read ({@code supplemental_row}), and their join
 * to the district's users. A run streams a source's rows into {@code supplemental_stage} in bulk, then brings the stored
 * rows in line with a few set-based statements, so an unchanged source writes nothing but its staging rows, and a
 * million rows never sit in memory. Tables: {@code supplemental_row}, {@code supplemental_stage}.
 */
@API(status = API.Status.INTERNAL)
public final class SupplementalStore {
    /** Rows staged per bulk insert. */
    private static final int STAGE_BATCH = 5_000;
    /** Keys listed one by one in warnings (unmatched, duplicated) per source and run; the rest are counted. */
    public static final int LISTED_KEYS = 1_000;
    /** The join of a source whose keys are SIS ids, and of one whose keys are Clever ids. */
    public static final String BY_SIS_ID = "sis_id";
    public static final String BY_CLEVER_ID = "clever_id";

    private final DSLContext ctx;
    private final Vendor vendor;
    private final PlannerStatistics statistics;

    SupplementalStore(DSLContext ctx, Vendor vendor, PlannerStatistics statistics) {
        this.ctx = ctx;
        this.vendor = vendor;
        this.statistics = statistics;
    }

    /** One supplemental row joined to a user: its plugin and source, the key it was joined by, its values as JSON. */
    public record Joined(String cleverId, String plugin, String source, String key, String valuesJson) {}

    /** What loading one source did. {@code changedUsers} is null unless asked for. */
    public record Result(long rows, long written, long removed, List<String> duplicateKeys, long duplicates,
                         List<String> unmatchedKeys, long unmatched, Set<String> changedUsers) {}

    /** Starts loading one source's rows for a district; nothing is visible to {@link #forUsers} until {@link Load#finish}. */
    public Load load(String districtId, String plugin, String source, String joinBy, String runId) {
        if (!BY_SIS_ID.equals(joinBy) && !BY_CLEVER_ID.equals(joinBy)) {
            throw new IllegalArgumentException("join by " + joinBy);
        }
        ctx.deleteFrom(SUPPLEMENTAL_STAGE).where(stage(SUPPLEMENTAL_STAGE, districtId, plugin, source)).execute();
        return new Load(districtId, plugin, source, joinBy, runId);
    }

    /** Whether any source stored rows for this district: when none did, deciding reads nothing here. */
    public boolean hasRows(String districtId) {
        return ctx.fetchExists(ctx.selectOne().from(SUPPLEMENTAL_ROW).where(SUPPLEMENTAL_ROW.DISTRICT_ID.eq(districtId)));
    }

    /** The rows that join these users, by user, in a few statements (ids in chunks, one statement per chunk and join). */
    public Map<String, List<Joined>> forUsers(String districtId, Collection<String> userIds) {
        Map<String, List<Joined>> out = new HashMap<>();
        SupplementalRow r = SUPPLEMENTAL_ROW;
        for (List<String> chunk : Sql.chunks(List.copyOf(userIds))) {
            for (String joinBy : List.of(BY_SIS_ID, BY_CLEVER_ID)) {
                Field<String> on = BY_SIS_ID.equals(joinBy) ? CLEVER_RECORD.SIS_ID : CLEVER_RECORD.CLEVER_ID;
                ctx.select(CLEVER_RECORD.CLEVER_ID, r.PLUGIN, r.SOURCE, r.JOIN_KEY, r.ROW_VALUES)
                        .from(Sql.joinIds(CLEVER_RECORD, CLEVER_RECORD.CLEVER_ID, chunk))
                        .join(r).on(r.DISTRICT_ID.eq(CLEVER_RECORD.DISTRICT_ID), r.JOIN_KEY.eq(on), r.JOIN_BY.eq(joinBy))
                        .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.USER.label()))
                        .forEach(x -> out.computeIfAbsent(x.value1(), k -> new ArrayList<>())
                                .add(new Joined(x.value1(), x.value2(), x.value3(), x.value4(), x.value5())));
            }
        }
        out.values().forEach(l -> l.sort(java.util.Comparator.comparing(Joined::plugin).thenComparing(Joined::source)));
        return out;
    }

    private static Condition stage(SupplementalStage s, String districtId, String plugin, String source) {
        return s.DISTRICT_ID.eq(districtId).and(s.PLUGIN.eq(plugin)).and(s.SOURCE.eq(source));
    }

    private static Condition stored(SupplementalRow r, String districtId, String plugin, String source) {
        return r.DISTRICT_ID.eq(districtId).and(r.PLUGIN.eq(plugin)).and(r.SOURCE.eq(source));
    }

    /** The rows of one source as they are read; {@link #finish} compares them with the stored ones. */
    public final class Load {
        private final String districtId;
        private final String plugin;
        private final String source;
        private final String joinBy;
        private final String runId;
        private final List<Object[]> pending = new ArrayList<>(STAGE_BATCH);
        private final List<Field<?>> columns = List.of(SUPPLEMENTAL_STAGE.DISTRICT_ID, SUPPLEMENTAL_STAGE.PLUGIN, SUPPLEMENTAL_STAGE.SOURCE,
                SUPPLEMENTAL_STAGE.SEQ, SUPPLEMENTAL_STAGE.JOIN_KEY, SUPPLEMENTAL_STAGE.ROW_VALUES, SUPPLEMENTAL_STAGE.VALUES_HASH);
        private final MessageDigest sha = sha256();
        private int seq;

        private Load(String districtId, String plugin, String source, String joinBy, String runId) {
            this.districtId = districtId;
            this.plugin = plugin;
            this.source = source;
            this.joinBy = joinBy;
            this.runId = runId;
        }

        /** One row: its key and its values as JSON (the caller writes them in a stable order). */
        public void add(String key, String valuesJson) {
            String hash = HexFormat.of().formatHex(sha.digest(valuesJson.getBytes(StandardCharsets.UTF_8)), 0, 16);
            pending.add(new Object[] {districtId, plugin, source, ++seq, key, valuesJson, hash});
            if (pending.size() >= STAGE_BATCH) {
                flush();
            }
        }

        private void flush() {
            new BulkWrites(ctx, vendor).insertRows(SUPPLEMENTAL_STAGE, columns, pending);
            pending.clear();
        }

        /**
         * Keeps the last row of each key, replaces the stored rows that differ, drops those the source no longer has,
         * and lists the keys that match no user. With {@code changedUsers}, also the users whose rows changed (an
         * incremental run decides them again).
         */
        public Result finish(boolean changedUsers) {
            flush();
            SupplementalStage s = SUPPLEMENTAL_STAGE;
            SupplementalStage later = SUPPLEMENTAL_STAGE.as("later");
            SupplementalRow r = SUPPLEMENTAL_ROW;
            statistics.refresh(s);
            var dupes = ctx.select(s.JOIN_KEY).from(s).where(stage(s, districtId, plugin, source)).groupBy(s.JOIN_KEY)
                    .having(DSL.count().gt(1)).orderBy(s.JOIN_KEY).limit(LISTED_KEYS).fetch(s.JOIN_KEY);
            long duplicates = 0;
            if (!dupes.isEmpty()) {
                duplicates = ctx.deleteFrom(s).where(stage(s, districtId, plugin, source), DSL.exists(ctx.selectOne().from(later)
                        .where(stage(later, districtId, plugin, source), later.JOIN_KEY.eq(s.JOIN_KEY), later.SEQ.gt(s.SEQ)))).execute();
            }
            Set<String> changed = null;
            if (changedUsers) {
                var keys = ctx.select(s.JOIN_KEY.as("k")).from(s).where(stage(s, districtId, plugin, source), DSL.notExists(ctx.selectOne()
                                .from(r).where(stored(r, districtId, plugin, source), r.JOIN_KEY.eq(s.JOIN_KEY), r.VALUES_HASH.eq(s.VALUES_HASH))))
                        .union(ctx.select(r.JOIN_KEY.as("k")).from(r).where(stored(r, districtId, plugin, source), DSL.notExists(ctx.selectOne()
                                .from(s).where(stage(s, districtId, plugin, source), s.JOIN_KEY.eq(r.JOIN_KEY)))))
                        .asTable("changed_keys");
                Field<String> k = keys.field("k", String.class);
                Field<String> on = BY_SIS_ID.equals(joinBy) ? CLEVER_RECORD.SIS_ID : CLEVER_RECORD.CLEVER_ID;
                changed = new HashSet<>(ctx.select(CLEVER_RECORD.CLEVER_ID).from(keys).join(CLEVER_RECORD).on(on.eq(k))
                        .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.USER.label()))
                        .fetch(CLEVER_RECORD.CLEVER_ID));
            }
            long removed = ctx.deleteFrom(r).where(stored(r, districtId, plugin, source), DSL.notExists(ctx.selectOne().from(s)
                    .where(stage(s, districtId, plugin, source), s.JOIN_KEY.eq(r.JOIN_KEY), s.VALUES_HASH.eq(r.VALUES_HASH)))).execute();
            long written = ctx.insertInto(r, r.DISTRICT_ID, r.PLUGIN, r.SOURCE, r.JOIN_KEY, r.JOIN_BY, r.ROW_VALUES, r.VALUES_HASH, r.RUN_ID)
                    .select(ctx.select(s.DISTRICT_ID, s.PLUGIN, s.SOURCE, s.JOIN_KEY, DSL.val(joinBy), s.ROW_VALUES, s.VALUES_HASH, DSL.val(runId))
                            .from(s).where(stage(s, districtId, plugin, source), DSL.notExists(ctx.selectOne().from(r)
                                    .where(stored(r, districtId, plugin, source), r.JOIN_KEY.eq(s.JOIN_KEY)))))
                    .execute();
            long rows = ctx.fetchCount(s, stage(s, districtId, plugin, source));
            ctx.deleteFrom(s).where(stage(s, districtId, plugin, source)).execute();
            Field<String> on = BY_SIS_ID.equals(joinBy) ? CLEVER_RECORD.SIS_ID : CLEVER_RECORD.CLEVER_ID;
            Condition unmatched = stored(r, districtId, plugin, source).and(DSL.notExists(ctx.selectOne().from(CLEVER_RECORD)
                    .where(CLEVER_RECORD.DISTRICT_ID.eq(districtId), CLEVER_RECORD.KIND.eq(RecordKind.USER.label()), on.eq(r.JOIN_KEY))));
            List<String> unmatchedKeys = ctx.select(r.JOIN_KEY).from(r).where(unmatched).orderBy(r.JOIN_KEY).limit(LISTED_KEYS).fetch(r.JOIN_KEY);
            long unmatchedCount = unmatchedKeys.size() < LISTED_KEYS ? unmatchedKeys.size() : ctx.fetchCount(r, unmatched);
            return new Result(rows, written, removed, dupes, duplicates, unmatchedKeys, unmatchedCount, changed);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

}
