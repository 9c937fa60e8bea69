package dev.homeroom.store.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's COPY text format for one value: backslash, tab, newline and carriage return escaped, null as {@code \N}.
 * The store keeps a record's decision lines and a revert's old values in one text column with it (lines separated by
 * newlines, fields by tabs); {@link PostgresCopy} writes the same format as UTF-8 bytes for {@code COPY … FROM STDIN}.
 */
public final class TabText {
    public static final String NULL = "\\N";

    private TabText() {}

    public static void append(StringBuilder out, String value) {
        if (value == null) {
            out.append(NULL);
            return;
        }
        int plain = 0; // the leading run that needs no escape goes in as one piece
        while (plain < value.length() && !special(value.charAt(plain))) {
            plain++;
        }
        out.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Rows of fields as text: one line per row, fields separated by tabs. */
    public static String encode(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            if (out.length() > 0) {
                out.append('\n');
            }
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append('\t');
                }
                append(out, row.get(i));
            }
        }
        return out.toString();
    }

    /** The inverse of {@link #encode}. */
    public static List<List<String>> decode(String text) {
        List<List<String>> rows = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return rows;
        }
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean isNull = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                switch (n) {
                    case 't' -> field.append('\t');
                    case 'n' -> field.append('\n');
                    case 'r' -> field.append('\r');
                    case 'N' -> isNull = true;
                    default -> field.append(n);
                }
            } else if (c == '\t' || c == '\n') {
                row.add(isNull ? null : field.toString());
                field.setLength(0);
                isNull = false;
                if (c == '\n') {
                    rows.add(row);
                    row = new ArrayList<>();
                }
            } else {
                field.append(c);
            }
        }
        row.add(isNull ? null : field.toString());
        rows.add(row);
        return rows;
    }
}
