package dev.homeroom.store;

import java.util.Objects;
import org.apiguardian.api.API;

/** Clever ids from {@code first} to {@code last}, both included, in the store's (string) order. */
@API(status = API.Status.INTERNAL)
public record IdRange(String first, String last) {
    public IdRange {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
    }
}
