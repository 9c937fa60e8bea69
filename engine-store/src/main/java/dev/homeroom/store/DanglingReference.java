package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import org.apiguardian.api.API;

/** A shared record that points at a record Clever does not share (a section's unknown course, school, teacher or student). */
@API(status = API.Status.INTERNAL)
public record DanglingReference(RecordKind kind, String cleverId, String field, RecordKind targetKind, String target) {}
