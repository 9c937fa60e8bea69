package dev.homeroom.spi;

import java.util.List;
import org.apiguardian.api.API;

/** A Clever district. Dates are kept as Clever sends them ({@code pause_*} are plain dates in practice). */
@API(status = API.Status.STABLE)
public record District(
        String id,
        String name,
        DistrictContact districtContact,
        String error,
        String lastSync,
        String launchDate,
        List<String> loginMethods,
        String mdrNumber,
        String ncesId,
        String pauseStart,
        String pauseEnd,
        String portalUrl,
        String sisType,
        String state) implements CleverRecord {

    public District {
        loginMethods = Immutables.list(loginMethods);
    }

    @Override
    public RecordKind kind() {
        return RecordKind.DISTRICT;
    }

    @API(status = API.Status.STABLE)
    public record DistrictContact(String id, String district, String email, Name name, String title) {}
}
