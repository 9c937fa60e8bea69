package dev.homeroom.spi;

import org.apiguardian.api.API;

/** One record as Clever shares it. Implementations are immutable records; fields Clever may omit are null. */
@API(status = API.Status.STABLE)
public sealed interface CleverRecord permits District, School, Term, Course, Section, User {
    /** Clever's id of this record: stable for users, sections, schools and courses; terms may be re-created with a new id. */
    String id();

    RecordKind kind();
}
