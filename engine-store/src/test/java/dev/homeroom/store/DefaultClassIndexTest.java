package dev.homeroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL the accounts whose default class can change (flagged PRIMARY_CLASS, or holding one) have an index of
 * their own (V021), and the query that looks for them among the members of a run's changed sections uses it with the
 * values the store binds: were it not usable, that query would read every account of the district for each 1,000
 * sections (a 1M district's event run paid 83 ms a time).
 */
class DefaultClassIndexTest {

    @Test
    void onPostgresqlTheAccountsInPlayForADefaultClassAreFoundThroughTheirOwnIndex() {
        TestDatabases.requirePostgres();
        try (Store store = TestDatabases.open(Vendor.POSTGRESQL)) {
            store.<Void>transaction(s -> {
                String def = (String) s.ctx().fetchValue("select indexdef from pg_indexes where schemaname = current_schema()"
                        + " and indexname = 'ix_account_default_class'");
                assertThat(def).contains("(district_id) WHERE").contains("primary_class_id IS NOT NULL").contains("PRIMARY_CLASS");
                // a district of 20,000 accounts, none in play, each a member of one of 800 classes
                s.ctx().execute("insert into account (district_id, clever_id, account_role, granted_roles, active, content_hash,"
                        + " created_run, updated_run) select 'd', 'u' || i, 'student', 'student', true, 'h', 'r', 'r'"
                        + " from generate_series(1, 20000) i");
                s.ctx().execute("insert into classroom_membership (district_id, class_id, user_id, role, active, created_run,"
                        + " updated_run) select 'd', 'c' || (i % 800), 'u' || i, 'student', true, 'r', 'r' from generate_series(1, 20000) i");
                s.ctx().execute("analyze account");
                s.ctx().execute("analyze classroom_membership");
                List<String> sections = IntStream.range(0, 1000).mapToObj(i -> "c" + i).toList();
                var query = s.provisioning().membersInPlay("d", sections);
                String plan = String.join("\n", s.ctx().fetch("explain " + query.getSQL(), query.getBindValues().toArray())
                        .getValues(0, String.class));
                assertThat(plan).as(query.getSQL()).contains("ix_account_default_class").doesNotContain("Seq Scan on account");
                return null;
            });
        }
    }
}
