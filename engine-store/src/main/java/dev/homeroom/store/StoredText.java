package dev.homeroom.store;

import org.apiguardian.api.API;

/**
 * Text every store can hold. PostgreSQL rejects U+0000 in text ("insufficient data left in message", failing the
 * whole transaction) and its driver writes a lone surrogate as '?'; C0 control characters are never meant in names.
 */
@API(status = API.Status.INTERNAL)
public final class StoredText {
    private StoredText() {}

    /** Whether the value has something {@link #storable} would change. */
    public static boolean needsCleaning(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                return true;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Drops control characters (keeping tab and line breaks) and replaces a lone surrogate with U+FFFD. */
    public static String storable(String value) {
        if (value == null || !needsCleaning(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
