package dev.homeroom.rules;

import org.apiguardian.api.API;

/**
 * Text checks that rule files call (P7, P8). Lengths count Unicode code points, so an emoji or an accented letter
 * is one character and truncation never splits a surrogate pair. Cleaning removes only what is invalid: control
 * characters, unpaired surrogates, non-characters, and leading/trailing white space; every other character
 * (ñ, à, ', -, emoji, combining marks) is kept exactly as sent, so valid UTF-8 names survive byte for byte.
 * All methods accept null (treated as "nothing to clean").
 */
@API(status = API.Status.EXPERIMENTAL)
public final class FieldText {
    private FieldText() {}

    /** True when {@link #clean} would change the value. */
    public static boolean needsCleaning(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return isEdgeSpace(value.codePointAt(0)) || isEdgeSpace(value.codePointBefore(value.length()))
                || hasInvalidCharacters(value);
    }

    /** True when the value holds a control character, an unpaired surrogate or a non-character. */
    public static boolean hasInvalidCharacters(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (isInvalid(value, i, cp)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /** The value without invalid characters and without leading/trailing white space; null stays null. */
    public static String clean(String value) {
        if (value == null || !needsCleaning(value)) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (!isInvalid(value, i, cp)) {
                sb.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        int start = 0;
        int end = sb.length();
        while (start < end && isEdgeSpace(sb.codePointAt(start))) {
            start += Character.charCount(sb.codePointAt(start));
        }
        while (end > start && isEdgeSpace(sb.codePointBefore(end))) {
            end -= Character.charCount(sb.codePointBefore(end));
        }
        return sb.substring(start, end);
    }

    /** Length in code points; 0 for null. */
    public static int length(String value) {
        return value == null ? 0 : value.codePointCount(0, value.length());
    }

    /** True when the value, once cleaned, is longer than {@code max} code points. */
    public static boolean tooLong(String value, int max) {
        if (value == null || value.length() <= max) {
            return false; // UTF-16 length >= code point length, so this is a cheap exact "no"
        }
        return length(clean(value)) > max;
    }

    /** The first {@code max} code points of the value, never splitting a surrogate pair; null stays null. */
    public static String truncate(String value, int max) {
        if (value == null || length(value) <= max) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, Math.max(max, 0)));
    }

    /** Cleaned, then truncated to {@code max}: the value a record gets under STRIP + TRUNCATE. */
    public static String cleanAndTruncate(String value, int max) {
        return truncate(clean(value), max);
    }

    /** True when the value is null, empty or only white space. */
    public static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static boolean isEdgeSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0xFEFF;
    }

    private static boolean isInvalid(String s, int index, int cp) {
        if (Character.getType(cp) == Character.CONTROL) {
            return true;
        }
        if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
            return true; // codePointAt returned a lone surrogate
        }
        return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }
}
