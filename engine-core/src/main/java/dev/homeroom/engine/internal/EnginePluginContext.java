package dev.homeroom.engine.internal;

import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.SpiVersion;
import java.text.MessageFormat;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PluginContext} the engine hands a plugin: its own settings, the district of a run (absent at configure time),
 * the engine's clock, and a logger named {@code homeroom.plugin.<name>} that writes through SLF4J to wherever the host's
 * logs go.
 */
final class EnginePluginContext implements PluginContext {
    private final Map<String, String> settings;
    private final String districtId;
    private final System.Logger logger;

    EnginePluginContext(String pluginName, Map<String, String> settings, String districtId) {
        this.settings = Map.copyOf(settings);
        this.districtId = districtId;
        this.logger = new Slf4jLogger(LoggerFactory.getLogger("homeroom.plugin." + pluginName));
    }

    @Override
    public String spiVersion() {
        return SpiVersion.running();
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public Optional<String> districtId() {
        return Optional.ofNullable(districtId);
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    /** {@link System.Logger} over an SLF4J logger; messages with parameters are {@link MessageFormat} patterns, as the JDK's are. */
    static final class Slf4jLogger implements System.Logger {
        private final Logger slf4j;

        Slf4jLogger(Logger slf4j) {
            this.slf4j = slf4j;
        }

        @Override
        public String getName() {
            return slf4j.getName();
        }

        @Override
        public boolean isLoggable(Level level) {
            return switch (level) {
                case ALL, TRACE -> slf4j.isTraceEnabled();
                case DEBUG -> slf4j.isDebugEnabled();
                case INFO -> slf4j.isInfoEnabled();
                case WARNING -> slf4j.isWarnEnabled();
                case ERROR -> slf4j.isErrorEnabled();
                case OFF -> false;
            };
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                emit(level, localized(bundle, msg), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String pattern = localized(bundle, format);
                emit(level, params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params), null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            if (isLoggable(level)) {
                emit(level, msgSupplier.get(), null);
            }
        }

        private static String localized(ResourceBundle bundle, String key) {
            if (bundle != null && key != null && bundle.containsKey(key)) {
                return bundle.getString(key);
            }
            return key;
        }

        private void emit(Level level, String message, Throwable thrown) {
            switch (level) {
                case ALL, TRACE -> slf4j.trace(message, thrown);
                case DEBUG -> slf4j.debug(message, thrown);
                case INFO -> slf4j.info(message, thrown);
                case WARNING -> slf4j.warn(message, thrown);
                case ERROR -> slf4j.error(message, thrown);
                case OFF -> { }
            }
        }
    }
}
