package dev.homeroom.spi;

import org.apiguardian.api.API;

@API(status = API.Status.STABLE)
public record Course(String id, String district, String name, String number) implements CleverRecord {
    @Override
    public RecordKind kind() {
        return RecordKind.COURSE;
    }
}
