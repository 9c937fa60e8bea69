package dev.homeroom.spi;

import org.apiguardian.api.API;

@API(status = API.Status.STABLE)
public record Location(String address, String city, String state, String zip, String lat, String lon) {}
