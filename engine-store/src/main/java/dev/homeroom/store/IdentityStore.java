package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static dev.homeroom.store.internal.jooq.Tables.CLEVER_RECORD;
import static dev.homeroom.store.internal.jooq.Tables.OUTCOME_HISTORY;
import static dev.homeroom.store.internal.jooq.Tables.RECORD_STATE;

import dev.homeroom.spi.RecordKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jooq.DSLContext;
import org.jooq.Query;

/**
 * Clever's identity quirks (issue 10 item 6): a user re-created under a new Clever id with the same SIS id and email.
 * {@link #reissuedUsers} finds them; {@link #link} moves the account, its memberships and its decision history to the new
 * id. Tables: {@code clever_record} (read), {@code account}, {@code classroom_membership}, {@code record_state},
 * {@code outcome_history}, {@code custom_group} and {@code custom_group_member}.
 */
@API(status = API.Status.INTERNAL)
public final class IdentityStore {
    private final DSLContext ctx;
    private final Vendor vendor;
    private final OutboxStore outbox;
    private final GroupStore groups;

    IdentityStore(DSLContext ctx, Vendor vendor, OutboxStore outbox, GroupStore groups) {
        this.ctx = ctx;
        this.vendor = vendor;
        this.outbox = outbox;
        this.groups = groups;
    }

    /** A user Clever shares under a new id: it went away as {@code oldId} in the run that first saw {@code newId}. */
    public record Reissue(String oldId, String newId) {}

    /**
     * Among these users that went away in this run, those a user first seen in this run matches by SIS id and by email
     * (both present); a match that is not one to one (two old or two new users with the same pair) is left alone.
     */
    public List<Reissue> reissuedUsers(String districtId, String runId, Collection<String> goneUsers) {
        var old = CLEVER_RECORD.as("old");
        var now = CLEVER_RECORD.as("now");
        List<Reissue> pairs = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(List.copyOf(goneUsers))) {
            ctx.select(old.CLEVER_ID, now.CLEVER_ID)
                    .from(Sql.joinIds(old, old.CLEVER_ID, chunk))
                    .join(now).on(now.DISTRICT_ID.eq(old.DISTRICT_ID), now.KIND.eq(old.KIND), now.SIS_ID.eq(old.SIS_ID),
                            now.EMAIL_KEY.eq(old.EMAIL_KEY), now.FIRST_SEEN_RUN.eq(runId), now.GONE_RUN.isNull())
                    .where(old.DISTRICT_ID.eq(districtId), old.KIND.eq(RecordKind.USER.label()), old.GONE_RUN.eq(runId))
                    .forEach(r -> pairs.add(new Reissue(r.value1(), r.value2())));
        }
        Map<String, Integer> olds = new HashMap<>();
        Map<String, Integer> news = new HashMap<>();
        pairs.forEach(p -> {
            olds.merge(p.oldId(), 1, Integer::sum);
            news.merge(p.newId(), 1, Integer::sum);
        });
        return pairs.stream().filter(p -> olds.get(p.oldId()) == 1 && news.get(p.newId()) == 1).toList();
    }

    /**
     * Moves each old id's accounts (with their edits, creation run and flags), memberships, custom-group memberships and
     * owned groups ({@link GroupStore}), decision and outcome history to
     * its new id, before this run decides them: the new id then carries on as the same person, and the old id is decided
     * as a user who went away with nothing left to deactivate. Each moved account goes to the outbox as REISSUED; its
     * row's {@code reissued_from} names the old id. Returns how many accounts moved.
     */
    public int link(String districtId, String runId, List<Reissue> reissues) {
        int moved = 0;
        BulkWrites writes = new BulkWrites(ctx, vendor);
        List<Query> moves = new ArrayList<>();
        for (Reissue r : reissues) {
            if (ctx.fetchExists(ACCOUNT, ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(r.newId()))) {
                continue; // the new id has an account of its own already
            }
            // each account's key part: its role, and its school for a per-school account (P14)
            List<String> roles = ctx.select(ProvisionedTable.of(RecordKind.USER).keyPartField()).from(ACCOUNT)
                    .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(r.oldId())).fetch(0, String.class);
            moves.add(ctx.update(ACCOUNT).set(ACCOUNT.CLEVER_ID, r.newId()).set(ACCOUNT.REISSUED_FROM, r.oldId())
                    .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(r.oldId())));
            moves.add(ctx.update(CLASSROOM_MEMBERSHIP).set(CLASSROOM_MEMBERSHIP.USER_ID, r.newId())
                    .where(CLASSROOM_MEMBERSHIP.DISTRICT_ID.eq(districtId), CLASSROOM_MEMBERSHIP.USER_ID.eq(r.oldId())));
            moves.add(ctx.update(RECORD_STATE).set(RECORD_STATE.CLEVER_ID, r.newId())
                    .where(RECORD_STATE.DISTRICT_ID.eq(districtId), RECORD_STATE.KIND.eq(RecordKind.USER.label()),
                            RECORD_STATE.CLEVER_ID.eq(r.oldId())));
            moves.add(ctx.update(OUTCOME_HISTORY).set(OUTCOME_HISTORY.CLEVER_ID, r.newId())
                    .where(OUTCOME_HISTORY.DISTRICT_ID.eq(districtId), OUTCOME_HISTORY.KIND.eq(RecordKind.USER.label()),
                            OUTCOME_HISTORY.CLEVER_ID.eq(r.oldId())));
            moves.addAll(groups.reissue(districtId, r.oldId(), r.newId()));
            for (String role : roles) {
                outbox.add(writes, districtId, runId, RecordKind.USER, ProvisionedTable.key(r.newId(), role), "REISSUED");
                moved++;
            }
        }
        if (!moves.isEmpty()) {
            ctx.batch(moves).execute();
        }
        writes.execute();
        return moved;
    }
}
