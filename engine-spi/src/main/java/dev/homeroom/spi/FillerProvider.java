package dev.homeroom.spi;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A district's own filler for a field its SIS leaves empty (e.g. its own birthday rule), in Java instead of a rule file.
 * The engine asks it, for each record of {@link #kind()} in the plugin's districts that is missing {@link #field()} (the
 * field is blank, or for {@code dob} not a date, or a default rule put a filler there), after the rules decided the
 * record. The value it returns is the field's filler, marked as filler like the default ones ({@code dob_filler}, the
 * {@code filler} lines of {@code explain}, recorded as by {@code plugin:NAME/filler:FIELD}) and replaced the first time
 * Clever sends the field; it takes the place of a default filler for that field. Empty leaves the field to the default
 * filler, if any. One that throws on a record leaves that record to the default filler, with a {@code PLUGIN_FAILED}
 * warning naming the record.
 *
 * @since SPI 1.2
 */
@API(status = API.Status.EXPERIMENTAL)
public interface FillerProvider {
    /** The users' fields a provider may fill. */
    java.util.List<String> USER_FIELDS = java.util.List.of("dob", "graduation_year", "grade", "email", "sis_id", "name.first",
            "name.middle", "name.last");

    /** The field this provider fills, one of {@link #USER_FIELDS} (a plugin naming another is refused, HR-PLUGIN-013). */
    String field();

    /** The kind of record whose field this fills; users only in SPI 1.2. */
    default RecordKind kind() {
        return RecordKind.USER;
    }

    /** The filler for a record that is missing {@link #field()}, or empty to leave it to the default filler. */
    Optional<String> fill(MissingField missing);

    /** Why the value is a filler, as {@code explain} shows it beside the value. */
    default String reason() {
        return "the district's own filler until its SIS sends the field";
    }
}
