package dev.homeroom.spi;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The root of every exception Homeroom throws on purpose. Each carries a stable error code an operator can search for
 * and whether retrying the same operation later may succeed. Messages are one line a user can act on.
 */
@API(status = API.Status.STABLE)
public class HomeroomException extends RuntimeException {
    private final String code;
    private final boolean retriable;

    public HomeroomException(String code, String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retriable = retriable;
    }

    public HomeroomException(String code, String message) {
        this(code, message, false, null);
    }

    /** A stable code such as {@code HR-CONFIG-001}. */
    public String code() {
        return code;
    }

    public boolean retriable() {
        return retriable;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
