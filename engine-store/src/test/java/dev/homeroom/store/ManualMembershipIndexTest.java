package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.CLASSROOM_MEMBERSHIP;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL the index that finds a district's manual memberships holds those alone (V020), and still serves the
 * query the store sends for them: were it not usable, every run would read all of a district's memberships to follow
 * the manual ones.
 */
class ManualMembershipIndexTest {

    @Test
    void onPostgresqlTheIndexHoldsOnlyManualMembershipsAndServesTheirQuery() {
        TestDatabases.requirePostgres();
        try (Store store = TestDatabases.open(Vendor.POSTGRESQL)) {
            store.<Void>transaction(s -> {
                String def = (String) s.ctx().fetchValue("select indexdef from pg_indexes where schemaname = current_schema()"
                        + " and indexname = 'ix_classroom_membership_manual'");
                assertThat(def).contains("(district_id) WHERE manual");
                s.ctx().execute("set local enable_seqscan = off");
                var m = CLASSROOM_MEMBERSHIP;
                String sql = s.ctx().renderInlined(s.ctx().select(m.CLASS_ID, m.USER_ID).from(m)
                        .where(m.DISTRICT_ID.eq("d"), m.MANUAL.isTrue()));
                String plan = String.join("\n", s.ctx().fetch("explain " + sql).getValues(0, String.class));
                assertThat(plan).as(sql).contains("ix_classroom_membership_manual");
                return null;
            });
        }
    }
}
