package dev.homeroom.store;

import org.apiguardian.api.API;

/**
 * The one length limit for a Clever id, wherever the engine stores one (records, decisions, warnings, accounts,
 * outbox). Clever's ids are 24 hex characters; a longer one is refused where it is read, as a handled error naming the
 * record, instead of overflowing a column later in the run.
 */
@API(status = API.Status.STABLE)
public final class CleverId {
    /** The longest Clever id the store keeps; every {@code clever_id} column holds at least this many characters. */
    public static final int MAX_LENGTH = 64;

    private CleverId() {}

    /** Whether {@code id} can be stored: present, not blank, and at most {@link #MAX_LENGTH} characters. */
    public static boolean isValid(String id) {
        return id != null && !id.isBlank() && id.length() <= MAX_LENGTH;
    }

    /** Why {@code id} cannot be stored, in a few words naming its start; null when it can. */
    public static String problem(String id) {
        if (id == null || id.isBlank()) {
            return "it has no id";
        }
        if (id.length() > MAX_LENGTH) {
            return "its id is " + id.length() + " characters long, over the limit of " + MAX_LENGTH + " (it starts '"
                    + StoredText.storable(id.substring(0, 40)) + "…')";
        }
        return null;
    }
}
