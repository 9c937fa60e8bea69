package dev.homeroom.rules.internal;

import dev.homeroom.spi.RecordKind;
import java.util.List;
import java.util.Map;

/** A parsed scenario file. */
public record Scenario(String name, String file, String districtId, Map<String, String> policyOverrides,
                       List<Object> facts, List<Expectation> expectations) {

    /** One check of one record: {@code key} is e.g. {@code outcome}, {@code not-rule}, {@code filler.dob}. */
    public record Expectation(int line, String text, RecordKind kind, String cleverId, String key, String value) {}
}
