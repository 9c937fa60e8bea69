package dev.homeroom.rules;

import dev.homeroom.spi.HomeroomException;
import org.apiguardian.api.API;

/** A policies file or override holds an unknown key or a value its policy does not allow. The message is one line. */
@API(status = API.Status.EXPERIMENTAL)
public class PolicyException extends HomeroomException {
    public static final String BAD_POLICY = "HR-POLICY-001";
    public static final String NOT_FOUND = "HR-POLICY-002";

    public PolicyException(String code, String message) {
        super(code, message);
    }

    public PolicyException(String code, String message, Throwable cause) {
        super(code, message, false, cause);
    }
}
