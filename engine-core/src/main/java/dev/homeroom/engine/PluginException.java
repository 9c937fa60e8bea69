package dev.homeroom.engine;

import dev.homeroom.spi.HomeroomException;
import org.apiguardian.api.API;

/** A district plugin could not be loaded or failed while it ran. */
@API(status = API.Status.STABLE)
public class PluginException extends HomeroomException {
    public PluginException(String code, String message, Throwable cause) {
        super(code, message, false, cause);
    }
}
