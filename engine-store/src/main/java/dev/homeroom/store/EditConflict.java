package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import org.apiguardian.api.API;

/** Clever changed a value beside one a person edited (TWO_WAY): the edit was kept, and this says what Clever sent. */
@API(status = API.Status.INTERNAL)
public record EditConflict(RecordKind kind, String cleverId, String field, String kept, String cleverValue) {}
