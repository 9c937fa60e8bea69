package dev.homeroom.store;

import org.apiguardian.api.API;

/** The databases the store runs on. H2 is the embedded default; PostgreSQL is the production store. */
@API(status = API.Status.STABLE)
public enum Vendor {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String migrationFolder;

    Vendor(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /** The vendor folder beside {@code db/migration/common} for statements that truly differ. */
    public String migrationFolder() {
        return migrationFolder;
    }

    public static Vendor fromJdbcUrl(String url) {
        if (url != null && url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new StoreException("HR-STORE-001",
                "unsupported database URL '" + url + "': use jdbc:h2:file:… (embedded) or jdbc:postgresql://host/db", false, null);
    }
}
