package dev.homeroom.spi;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One entry of Clever's {@code /events} feed, mapped to a change of one record.
 *
 * @param id the event's id (not the object's); the feed's cursor
 * @param type Clever's event type, e.g. {@code users.updated}
 * @param created when Clever recorded the event, as Clever sends it
 * @param kind the kind of record that changed
 * @param change {@link Change#CREATED}, {@link Change#UPDATED}, or {@link Change#GONE} for {@code *.deleted}
 * @param object the record as it is now (for a deleted record, as it was)
 * @param objectJson the object's JSON, compact, sensitive fields dropped
 * @param previousAttributes the old values of the changed fields, nested like the object; empty unless updated
 */
@API(status = API.Status.EXPERIMENTAL)
public record CleverEvent(
        String id,
        String type,
        String created,
        RecordKind kind,
        Change change,
        CleverRecord object,
        String objectJson,
        Map<String, Object> previousAttributes) {

    public CleverEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(object, "object");
        previousAttributes = Immutables.map(previousAttributes);
    }
}
