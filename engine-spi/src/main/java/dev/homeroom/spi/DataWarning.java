package dev.homeroom.spi;

import org.apiguardian.api.API;

/** A problem in one record that did not stop it: stable code, the field, a message and the rule or check that saw it. */
@API(status = API.Status.STABLE)
public record DataWarning(RecordKind kind, String cleverId, String code, String field, String message, String ruleId) {
    public DataWarning {
        message = message == null ? "" : message;
    }
}
