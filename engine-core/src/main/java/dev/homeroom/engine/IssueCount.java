package dev.homeroom.engine;

import org.apiguardian.api.API;

/** How many warnings or handled errors of one kind of record and one code a run found. */
@API(status = API.Status.EXPERIMENTAL)
public record IssueCount(String kind, String code, long count) {}
