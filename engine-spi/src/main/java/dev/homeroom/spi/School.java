package dev.homeroom.spi;

import java.util.Map;
import org.apiguardian.api.API;

@API(status = API.Status.STABLE)
public record School(
        String id,
        String district,
        String name,
        String created,
        String lastModified,
        String sisId,
        String schoolNumber,
        String stateId,
        String ncesId,
        String mdrNumber,
        String phone,
        String lowGrade,
        String highGrade,
        Location location,
        Principal principal,
        Map<String, Object> ext) implements CleverRecord {

    public School {
        ext = Immutables.map(ext);
    }

    @Override
    public RecordKind kind() {
        return RecordKind.SCHOOL;
    }

    @API(status = API.Status.STABLE)
    public record Principal(String name, String email) {}
}
