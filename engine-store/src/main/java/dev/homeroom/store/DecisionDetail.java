package dev.homeroom.store;

import org.apiguardian.api.API;

/**
 * One line of what decided a record, as {@code explain} shows it. {@code type} is OUTCOME, ROLE, FILLER, CLEANED,
 * FLAG or WARNING; {@code field}/{@code value} are set for the types that carry them.
 */
@API(status = API.Status.INTERNAL)
public record DecisionDetail(String type, String ruleId, String outcome, String field, String value, String reason) {}
