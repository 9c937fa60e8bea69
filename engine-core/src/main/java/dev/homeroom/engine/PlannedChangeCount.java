package dev.homeroom.engine;

import org.apiguardian.api.API;

/** How many changes of one kind a MANUAL plan holds for one entity ({@code user}, {@code section}, … {@code membership}). */
@API(status = API.Status.EXPERIMENTAL)
public record PlannedChangeCount(String entity, String change, long count) {}
