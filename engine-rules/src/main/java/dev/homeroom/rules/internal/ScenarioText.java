package dev.homeroom.rules.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits one scenario line into words and key=value pairs; values may be "quoted" with \-escapes. */
final class ScenarioText {
    private ScenarioText() {}

    record Line(List<String> words, List<Map.Entry<String, String>> entries) {
        /** The pairs as a map; a key given twice is an error (record fields). */
        Map<String, String> pairs() {
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : entries) {
                if (map.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("'" + e.getKey() + "' given twice");
                }
            }
            return map;
        }
    }

    static Line split(String text) {
        List<String> words = new ArrayList<>();
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= n) break;
            if (text.charAt(i) == '#') break;
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '=' && text.charAt(i) != '"') i++;
            String head = text.substring(start, i);
            if (i < n && text.charAt(i) == '=') {
                i++;
                StringBuilder value = new StringBuilder();
                if (i < n && text.charAt(i) == '"') {
                    i = quoted(text, i, value);
                } else {
                    while (i < n && !Character.isWhitespace(text.charAt(i))) value.append(text.charAt(i++));
                }
                pairs.add(Map.entry(head, expand(value.toString(), text)));
            } else if (i < n && text.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                i = quoted(text, i, value);
                words.add(head + value);
            } else {
                if (!pairs.isEmpty()) {
                    throw new IllegalArgumentException("'" + head + "' needs a value: write " + head + "=VALUE");
                }
                words.add(head);
            }
        }
        return new Line(words, List.copyOf(pairs));
    }

    /** {@code repeat:N:TEXT} stands for TEXT written N times (for length limits). */
    private static String expand(String value, String line) {
        if (value.startsWith("repeat:")) {
            int colon = value.indexOf(':', 7);
            if (colon > 0) {
                try {
                    int times = Integer.parseInt(value.substring(7, colon));
                    if (times < 0 || times > 1_000_000) throw new NumberFormatException();
                    return value.substring(colon + 1).repeat(times);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("repeat:N:TEXT needs a count from 0 to 1000000");
                }
            }
        }
        return value;
    }

    private static int quoted(String text, int i, StringBuilder out) {
        int n = text.length();
        i++; // opening quote
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < n) {
                char e = text.charAt(i + 1);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '0' -> out.append('\0');
                    case '"' -> out.append('"');
                    case '\\' -> out.append('\\');
                    case 'u' -> {
                        if (i + 6 > n) throw new IllegalArgumentException("\\u needs four hex digits");
                        out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("unknown escape \\" + e + " (use \\n \\t \\r \\0 \\\" \\\\ \\uXXXX)");
                }
                i += 2;
                continue;
            }
            out.append(c);
            i++;
        }
        throw new IllegalArgumentException("a quoted value is not closed");
    }
}
