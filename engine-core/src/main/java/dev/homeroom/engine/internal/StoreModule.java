package dev.homeroom.engine.internal;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreConfig;

/** The engine's own store (embedded H2 by default, or PostgreSQL), opened and migrated when first needed. */
public final class StoreModule extends AbstractModule {
    private final StoreConfig config;

    public StoreModule(StoreConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    Store store() {
        return Store.open(config);
    }
}
