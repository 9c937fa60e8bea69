package dev.homeroom.engine.internal;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/** Wires the engine's parts. Does no I/O itself: the store comes from a store module the builder picks. */
public final class EngineModule extends AbstractModule {
    private final EngineSettings settings;

    public EngineModule(EngineSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(EngineSettings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    RuleProvider ruleProvider(EngineSettings s) {
        return new RuleProvider(s.rulesDirectory(), s.policiesFile());
    }

    @Provides
    @Singleton
    PluginRegistry pluginRegistry(EngineSettings s) {
        return PluginRegistry.load(s);
    }
}
