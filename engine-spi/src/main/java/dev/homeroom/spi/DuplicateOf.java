package dev.homeroom.spi;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A fact the pipeline inserts beside a record's fact when the record repeats a value an earlier record already has
 * (P9): {@code cleverId}'s {@code field} ({@code email} or {@code sis_id}) equals that of {@code firstCleverId}, which
 * keeps it. "Earlier" is any stable order the pipeline picks (e.g. first seen, then Clever id), so that the same
 * data always yields the same choice. {@link UserFact#duplicateEmail()} and {@code duplicateSisId()} stay true on
 * both records; this fact says which one is the later.
 */
@API(status = API.Status.EXPERIMENTAL)
public record DuplicateOf(RecordKind kind, String cleverId, String field, String firstCleverId) {
    public static final String EMAIL = "email";
    public static final String SIS_ID = "sis_id";

    public DuplicateOf {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cleverId, "cleverId");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(firstCleverId, "firstCleverId");
    }
}
