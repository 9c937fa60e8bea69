package dev.homeroom.spi;

import org.apiguardian.api.API;

@API(status = API.Status.STABLE)
public record Credentials(String districtUsername) {}
