package dev.homeroom.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A golden roster's diff: per record block (keyed by kind and id), its lines gone ({@code -}) and new ({@code +}). */
final class GoldenDiff {
    private static final int MAX_RECORDS = 40;

    private GoldenDiff() {}

    static String diff(String expected, String actual) {
        Map<String, List<String>> before = blocks(expected);
        Map<String, List<String>> now = blocks(actual);
        StringBuilder out = new StringBuilder();
        int differing = 0;
        for (String key : order(before, now)) {
            List<String> b = before.getOrDefault(key, List.of());
            List<String> a = now.getOrDefault(key, List.of());
            if (b.equals(a)) {
                continue;
            }
            differing++;
            if (differing > MAX_RECORDS) {
                continue;
            }
            out.append("@@ ").append(key.isEmpty() ? "(header)" : key).append(b.isEmpty() ? " (new)" : a.isEmpty() ? " (gone)" : "").append('\n');
            b.stream().filter(l -> !a.contains(l)).forEach(l -> out.append("- ").append(l).append('\n'));
            a.stream().filter(l -> !b.contains(l)).forEach(l -> out.append("+ ").append(l).append('\n'));
        }
        if (differing > MAX_RECORDS) {
            out.append("… and ").append(differing - MAX_RECORDS).append(" more records\n");
        }
        if (differing > 0) {
            out.append(differing).append(differing == 1 ? " record differs" : " records differ");
        }
        return out.toString();
    }

    /** Keys in the order the golden file has them, then those only the new outcomes have. */
    private static List<String> order(Map<String, List<String>> before, Map<String, List<String>> now) {
        List<String> keys = new ArrayList<>(before.keySet());
        now.keySet().stream().filter(k -> !before.containsKey(k)).forEach(keys::add);
        return keys;
    }

    /** "kind id" → the block's lines (header included); comment lines at the top are the block "". */
    private static Map<String, List<String>> blocks(String text) {
        Map<String, List<String>> blocks = new LinkedHashMap<>();
        String key = "";
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith(" ") && !line.startsWith("#")) {
                String[] parts = line.split(" ", 3);
                key = parts.length >= 2 ? parts[0] + " " + parts[1] : line;
            }
            blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
        }
        return blocks;
    }
}
