package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.DECIDE_AGAIN;
import static dev.homeroom.store.internal.jooq.Tables.SECTION_SELECTION;

import java.time.LocalDateTime;
import dev.homeroom.spi.RecordKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;
import org.jooq.DSLContext;

/**
 * What people change beside Clever: the sections an admin selected to load (P22 STAGING), a class's display name
 * (P10) and a student's graduation year (P6). Syncs keep these. Tables: {@code section_selection}, and the edited
 * columns of {@code classroom} and {@code account}.
 */
@API(status = API.Status.INTERNAL)
public final class EditStore {
    private final DSLContext ctx;

    EditStore(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** Selects (or, with {@code selected} false, unselects) sections to load under P22 STAGING. Returns the rows changed. */
    public int selectSection(String districtId, String sectionId, boolean selected) {
        decideAgain(districtId, RecordKind.SECTION, sectionId);
        var sel = SECTION_SELECTION;
        if (!selected) {
            return ctx.deleteFrom(sel).where(sel.DISTRICT_ID.eq(districtId), sel.SECTION_ID.eq(sectionId)).execute();
        }
        if (ctx.fetchExists(sel, sel.DISTRICT_ID.eq(districtId), sel.SECTION_ID.eq(sectionId))) {
            return 1;
        }
        return ctx.insertInto(sel).set(sel.DISTRICT_ID, districtId).set(sel.SECTION_ID, sectionId)
                .set(sel.SELECTED_AT, LocalDateTime.now(java.time.ZoneOffset.UTC)).execute();
    }

    /** Which of these sections an admin selected (P22 STAGING). */
    public Set<String> selectedSections(String districtId, List<String> sectionIds) {
        Set<String> selected = new java.util.HashSet<>();
        for (List<String> chunk : Sql.chunks(sectionIds)) {
            ctx.select(SECTION_SELECTION.SECTION_ID).from(Sql.joinIds(SECTION_SELECTION, SECTION_SELECTION.SECTION_ID, chunk))
                    .where(SECTION_SELECTION.DISTRICT_ID.eq(districtId))
                    .forEach(x -> selected.add(x.value1()));
        }
        return selected;
    }

    /** Sets a class's display name as a person edited it; syncs keep it from now on. Returns the rows changed. */
    public int editClassDisplayName(String districtId, String cleverId, String displayName) {
        decideAgain(districtId, RecordKind.SECTION, cleverId);
        return ctx.update(CLASSROOM).set(CLASSROOM.DISPLAY_NAME, displayName).set(CLASSROOM.DISPLAY_NAME_EDITED, true)
                .where(CLASSROOM.DISTRICT_ID.eq(districtId), CLASSROOM.CLEVER_ID.eq(cleverId)).execute();
    }

    /** Sets a student's graduation year as an admin edited it (P6); syncs keep it from now on. Returns the rows changed. */
    public int editGraduationYear(String districtId, String cleverId, String year) {
        decideAgain(districtId, RecordKind.USER, cleverId);
        return ctx.update(ACCOUNT).set(ACCOUNT.GRADUATION_YEAR, year).set(ACCOUNT.GRADUATION_YEAR_EDITED, true)
                .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(cleverId)).execute();
    }

    /** Asks the next run to decide this record again, incremental runs included (they decide only what changed). */
    private void decideAgain(String districtId, RecordKind kind, String cleverId) {
        if (!ctx.fetchExists(DECIDE_AGAIN, DECIDE_AGAIN.DISTRICT_ID.eq(districtId), DECIDE_AGAIN.KIND.eq(kind.label()),
                DECIDE_AGAIN.CLEVER_ID.eq(cleverId))) {
            ctx.insertInto(DECIDE_AGAIN).set(DECIDE_AGAIN.DISTRICT_ID, districtId).set(DECIDE_AGAIN.KIND, kind.label())
                    .set(DECIDE_AGAIN.CLEVER_ID, cleverId).execute();
        }
    }

    /** The records people changed since the last run, per kind; they are forgotten (the run decides them). */
    public Map<RecordKind, Set<String>> takeDecideAgain(String districtId) {
        Map<RecordKind, Set<String>> out = new java.util.EnumMap<>(RecordKind.class);
        ctx.select(DECIDE_AGAIN.KIND, DECIDE_AGAIN.CLEVER_ID).from(DECIDE_AGAIN).where(DECIDE_AGAIN.DISTRICT_ID.eq(districtId))
                .forEach(x -> out.computeIfAbsent(Sql.kindOf(x.value1()), k -> new java.util.HashSet<>()).add(x.value2()));
        ctx.deleteFrom(DECIDE_AGAIN).where(DECIDE_AGAIN.DISTRICT_ID.eq(districtId)).execute();
        return out;
    }
}
