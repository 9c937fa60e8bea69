package dev.homeroom.rules;

import org.apiguardian.api.API;

/**
 * One compiled rule.
 *
 * @param id    the stable id from the rule's {@code @id(...)} metadata (the rule name when a rule has none)
 * @param name  the rule's name, {@code "ID short sentence"}
 * @param file  the rule file it came from
 */
@API(status = API.Status.EXPERIMENTAL)
public record RuleInfo(String id, String name, String file) {}
