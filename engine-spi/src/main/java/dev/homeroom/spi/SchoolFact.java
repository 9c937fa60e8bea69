package dev.homeroom.spi;

import org.apiguardian.api.API;

@API(status = API.Status.STABLE)
public record SchoolFact(String districtId, School school, Change change, Outcome previousOutcome) {
    public String id() {
        return school.id();
    }

    public boolean isGone() {
        return change == Change.GONE;
    }
}
