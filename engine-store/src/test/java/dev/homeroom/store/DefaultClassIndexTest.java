package dev.homeroom.store;

import static dev.homeroom.store.internal.jooq.Tables.ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL the accounts whose default class can change (flagged PRIMARY_CLASS, or holding one) have an index of
 * their own (V021), and the query that reads the whole district's uses it with the values the store binds: were it
 * not usable, every run that derives default classes for the whole district would read every account of it.
 */
class DefaultClassIndexTest {

    @Test
    void onPostgresqlADistrictsAccountsInPlayForADefaultClassAreReadThroughTheirOwnIndex() {
        TestDatabases.requirePostgres();
        try (Store store = TestDatabases.open(Vendor.POSTGRESQL)) {
            store.<Void>transaction(s -> {
                String def = (String) s.ctx().fetchValue("select indexdef from pg_indexes where schemaname = current_schema()"
                        + " and indexname = 'ix_account_default_class'");
                assertThat(def).contains("(district_id) WHERE").contains("primary_class_id IS NOT NULL").contains("PRIMARY_CLASS");
                // a district of 20,000 accounts, none in play
                s.ctx().execute("insert into account (district_id, clever_id, account_role, granted_roles, active, content_hash,"
                        + " created_run, updated_run) select 'd', 'u' || i, 'student', 'student', true, 'h', 'r', 'r'"
                        + " from generate_series(1, 20000) i");
                s.ctx().execute("analyze account");
                var query = s.provisioning().accountsInPlay("d", ACCOUNT);
                String plan = String.join("\n", s.ctx().fetch("explain " + query.getSQL(), query.getBindValues().toArray())
                        .getValues(0, String.class));
                assertThat(plan).as(query.getSQL()).contains("ix_account_default_class").doesNotContain("Seq Scan on account");
                return null;
            });
        }
    }
}
