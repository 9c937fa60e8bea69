package dev.homeroom.engine.internal;

import dev.homeroom.spi.Policies;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.store.IdentityStore;
import dev.homeroom.store.StoreSession;
import dev.homeroom.store.WarningRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * P17 {@code users.reissued_id} (issue 10 item 6a): Clever reissues ids when a district re-creates its records, so a
 * user can go away and come back in the same run under a new id with the same SIS id and email. Under {@code LINK}
 * (default) the account, its memberships, edits and history move to the new id before the run decides users: one
 * active account, no flap. Under {@code NEW_ACCOUNT} the old account is deactivated and a new one created. Either way
 * the new id carries a {@code REISSUED_ID} warning that {@code explain} shows.
 */
final class ReissuedIds {
    static final String RULE = "engine:identity";

    private ReissuedIds() {}

    /** Finds and (under LINK) links reissued users; returns the warnings that explain it. */
    static List<WarningRow> follow(StoreSession s, String districtId, String runId, Collection<String> goneUsers, Policies policies) {
        List<IdentityStore.Reissue> reissues = s.identity().reissuedUsers(districtId, runId, goneUsers);
        List<WarningRow> out = new ArrayList<>();
        if (reissues.isEmpty()) {
            return out;
        }
        boolean link = !policies.is("users.reissued_id", "NEW_ACCOUNT");
        if (link) {
            s.identity().link(districtId, runId, reissues);
        }
        for (IdentityStore.Reissue r : reissues) {
            out.add(new WarningRow(runId, RecordKind.USER, r.newId(), "REISSUED_ID", null, link
                    ? "Clever reissued this user's id: it was " + r.oldId() + " (same SIS id and email); the account, its memberships"
                            + " and history moved here (users.reissued_id = LINK)"
                    : "Clever shares this user under a new id; " + r.oldId() + " has the same SIS id and email and went away: a new"
                            + " account was made and the old one deactivated (users.reissued_id = NEW_ACCOUNT)", RULE));
            out.add(new WarningRow(runId, RecordKind.USER, r.oldId(), "REISSUED_ID", null, "Clever reissued this user as "
                    + r.newId() + (link ? "; the account moved there" : "; that id got an account of its own"), RULE));
        }
        return out;
    }
}
