package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM;
import static dev.homeroom.store.internal.jooq.Tables.SECTION_SELECTION;

import java.time.LocalDateTime;
import java.util.List;
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
            ctx.select(SECTION_SELECTION.SECTION_ID).from(SECTION_SELECTION.join(Sql.idTable(chunk)).on(SECTION_SELECTION.SECTION_ID.eq(Sql.ID)))
                    .where(SECTION_SELECTION.DISTRICT_ID.eq(districtId))
                    .forEach(x -> selected.add(x.value1()));
        }
        return selected;
    }

    /** Sets a class's display name as a person edited it; syncs keep it from now on. Returns the rows changed. */
    public int editClassDisplayName(String districtId, String cleverId, String displayName) {
        return ctx.update(CLASSROOM).set(CLASSROOM.DISPLAY_NAME, displayName).set(CLASSROOM.DISPLAY_NAME_EDITED, true)
                .where(CLASSROOM.DISTRICT_ID.eq(districtId), CLASSROOM.CLEVER_ID.eq(cleverId)).execute();
    }

    /** Sets a student's graduation year as an admin edited it (P6); syncs keep it from now on. Returns the rows changed. */
    public int editGraduationYear(String districtId, String cleverId, String year) {
        return ctx.update(ACCOUNT).set(ACCOUNT.GRADUATION_YEAR, year).set(ACCOUNT.GRADUATION_YEAR_EDITED, true)
                .where(ACCOUNT.DISTRICT_ID.eq(districtId), ACCOUNT.CLEVER_ID.eq(cleverId)).execute();
    }
}
