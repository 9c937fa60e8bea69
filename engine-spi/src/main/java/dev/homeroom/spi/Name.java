package dev.homeroom.spi;

import org.apiguardian.api.API;

/** A person's name as the district's SIS has it; any part may be null or unclean. */
@API(status = API.Status.STABLE)
public record Name(String first, String middle, String last) {
    public static final Name EMPTY = new Name(null, null, null);
}
