package dev.homeroom.plugins.springfield;

import dev.homeroom.spi.RecordTransformer;
import dev.homeroom.spi.Section;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Tidies the section names Springfield's SIS exports, which follow {@code COURSE - TEACHER - PERIOD} and are often
 * all capitals or all lower case: {@code "MATH 7 - SMITH - P3"} becomes {@code "Math 7"}, {@code "  sci_6  (per 2)"}
 * becomes {@code "Sci 6"}.
 *
 * <ul>
 *   <li>a trailing period, as a last dash part ({@code - P3}, {@code - Per. 3}, {@code - Period 3}, or a bare number
 *       after a teacher part) or in parentheses ({@code (per 2)}), is removed, and with a dash part the teacher part
 *       before it too; a name without a period keeps its dash parts ({@code "Spanish - Advanced"});</li>
 *   <li>underscores become spaces and runs of white space one space, with none at either end;</li>
 *   <li>a name in capitals or in lower case only is title-cased, keeping acronyms ({@code AP}, {@code ELA}, roman
 *       numerals) in capitals and small words ({@code and}, {@code of}) in lower case; a name in mixed case was typed
 *       with care and keeps its case.</li>
 * </ul>
 * A name this leaves as it was returns the same section; a null or blank name is left to the default rules (P10),
 * and a name that would clean to nothing is kept as it was. Never returns null.
 */
final class SectionNameCleaner implements RecordTransformer {
    private static final Pattern DASH_PARTS = Pattern.compile(" [-\u2013\u2014] ");
    private static final Pattern PERIOD_PART = Pattern.compile("(?i)(?:p|per\\.?|period)\\s?\\d{1,2}");
    private static final Pattern BARE_NUMBER = Pattern.compile("\\d{1,2}");
    private static final Pattern PERIOD_IN_PARENS = Pattern.compile("(?i)\\s*\\(\\s*(?:p|per\\.?|period)\\s?\\d{1,2}\\s*\\)$");
    private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0_]+");
    private static final Pattern ROMAN = Pattern.compile("(?i)(?:i{1,3}|iv|vi{0,3}|ix|x)");
    private static final Set<String> ACRONYMS = Set.of("AP", "ASL", "AVID", "CS", "CTE", "ELA", "ELD", "ELL", "ESL", "IB", "JROTC", "PE", "STEM", "US");
    private static final Set<String> SMALL_WORDS = Set.of("a", "an", "and", "for", "in", "of", "on", "or", "the", "to");

    @Override
    public Section transformSection(Section section) {
        String name = section.name();
        if (name == null || name.isBlank()) {
            return section;
        }
        String cleaned = clean(name);
        return cleaned.isEmpty() || cleaned.equals(name) ? section : section.withName(cleaned);
    }

    static String clean(String name) {
        String text = SPACES.matcher(name).replaceAll(" ").strip();
        text = PERIOD_IN_PARENS.matcher(text).replaceFirst("");
        text = dropTeacherAndPeriod(text);
        return isSingleCase(text) ? titleCase(text) : text;
    }

    private static String dropTeacherAndPeriod(String text) {
        List<String> parts = List.of(DASH_PARTS.split(text, -1));
        String last = parts.get(parts.size() - 1);
        boolean period = parts.size() >= 2 && PERIOD_PART.matcher(last).matches()
                || parts.size() >= 3 && BARE_NUMBER.matcher(last).matches();
        if (!period) {
            return text;
        }
        int keep = parts.size() >= 3 ? parts.size() - 2 : parts.size() - 1;
        return String.join(" - ", parts.subList(0, keep)).strip();
    }

    private static boolean isSingleCase(String text) {
        boolean upper = false;
        boolean lower = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            upper |= Character.isUpperCase(cp);
            lower |= Character.isLowerCase(cp);
            i += Character.charCount(cp);
        }
        return upper != lower;
    }

    private static String titleCase(String text) {
        String[] words = text.split(" ");
        StringBuilder out = new StringBuilder(text.length());
        for (int w = 0; w < words.length; w++) {
            String word = words[w];
            String upper = word.toUpperCase(Locale.ROOT);
            String lower = word.toLowerCase(Locale.ROOT);
            if (w > 0) {
                out.append(' ');
            }
            if (ACRONYMS.contains(upper) || w > 0 && ROMAN.matcher(word).matches()) {
                out.append(upper);
            } else if (w > 0 && SMALL_WORDS.contains(lower)) {
                out.append(lower);
            } else {
                StringJoiner pieces = new StringJoiner("-");
                for (String piece : lower.split("-", -1)) {
                    pieces.add(capitalize(piece));
                }
                out.append(pieces);
            }
        }
        return out.toString();
    }

    /**
     * Upper-cases the first letter, past any leading bracket, quote or emoji; a word that starts with a digit
     * ({@code 6th}, {@code 7a}) stays as it is.
     */
    private static String capitalize(String lower) {
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            if (Character.isDigit(cp)) {
                return lower;
            }
            if (Character.isLetter(cp)) {
                return lower.substring(0, i) + Character.toString(Character.toTitleCase(cp)) + lower.substring(i + Character.charCount(cp));
            }
            i += Character.charCount(cp);
        }
        return lower;
    }
}
