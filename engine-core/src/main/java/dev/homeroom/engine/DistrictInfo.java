package dev.homeroom.engine;

import java.time.Instant;
import org.apiguardian.api.API;

/** A district the store holds: its Clever id, its name as Clever last gave it, and when the store first saw it. */
@API(status = API.Status.EXPERIMENTAL)
public record DistrictInfo(String districtId, String name, Instant createdAt) {}
