package dev.homeroom.engine.internal.clever;

import dev.homeroom.spi.RecordKind;

/**
 * One record of a page that could not be used (invalid date, wrong type, missing id, duplicate id); the rest of the
 * page is still delivered.
 *
 * @param cleverId the record's id when it could be read, else null
 */
public record RecordProblem(RecordKind kind, String cleverId, String reason) {}
