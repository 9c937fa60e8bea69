package dev.homeroom.engine;

import dev.homeroom.spi.HomeroomException;
import org.apiguardian.api.API;

/** The engine was configured wrongly; the message says what to change, in one line. */
@API(status = API.Status.STABLE)
public class ConfigurationException extends HomeroomException {
    public ConfigurationException(String code, String message) {
        super(code, message, false, null);
    }

    public ConfigurationException(String code, String message, Throwable cause) {
        super(code, message, false, cause);
    }
}
