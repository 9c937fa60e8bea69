package dev.homeroom.store;

import dev.homeroom.spi.RecordKind;
import org.apiguardian.api.API;

/** Where a Clever id lives: its district and kind. */
@API(status = API.Status.INTERNAL)
public record RecordRef(String districtId, RecordKind kind, String cleverId) {}
