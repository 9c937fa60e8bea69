package dev.homeroom.engine.internal;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.homeroom.store.Store;
import dev.homeroom.store.Vendor;
import javax.sql.DataSource;

/** A store on a data source the host owns (its own pool); the engine migrates it but never closes it. */
public final class HostDataSourceModule extends AbstractModule {
    private final DataSource dataSource;
    private final Vendor vendor;

    public HostDataSourceModule(DataSource dataSource, Vendor vendor) {
        this.dataSource = dataSource;
        this.vendor = vendor;
    }

    @Provides
    @Singleton
    Store store() {
        return Store.open(dataSource, vendor);
    }
}
