package dev.homeroom.store;

import dev.homeroom.spi.HomeroomException;
import org.apiguardian.api.API;

/** The store could not be opened, migrated or written. */
@API(status = API.Status.STABLE)
public class StoreException extends HomeroomException {
    public StoreException(String code, String message, boolean retriable, Throwable cause) {
        super(code, message, retriable, cause);
    }
}
