package dev.homeroom.plugins.licenses;

import dev.homeroom.spi.PluginContext;
import dev.homeroom.spi.SupplementalRows;
import dev.homeroom.spi.SupplementalSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The district's license file, read line by line (a million students need not fit in memory): a header naming the
 * columns ({@code sis_id} and {@code license_code} required, {@code expires} as YYYY-MM-DD optional, any other column
 * kept as is), then one student per line. Values may be double-quoted (a quote inside doubled), as spreadsheets export
 * them. A line that does not fit the header, or an expiry that is not a date, is a problem of that line; the others
 * carry on. The plugin is built against the SPI alone, so the few lines of CSV it needs are read here.
 */
final class LicenseCsv implements SupplementalSource {
    static final String KEY = "sis_id";

    @Override
    public String name() {
        return "licenses";
    }

    @Override
    public JoinKey joinKey() {
        return JoinKey.SIS_ID;
    }

    @Override
    public void read(PluginContext context, SupplementalRows rows) throws IOException {
        Path file = Path.of(context.settings().getOrDefault(LicensesPlugin.CSV_SETTING, ""));
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            read(in, rows);
        }
    }

    static void read(BufferedReader in, SupplementalRows rows) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new IOException("the license file is empty: it needs a header line with sis_id and license_code");
        }
        List<String> columns = cells(header.startsWith("\uFEFF") ? header.substring(1) : header);
        int key = columns.indexOf(KEY);
        if (key < 0 || !columns.contains("license_code")) {
            throw new IOException("the license file's header " + columns + " lacks sis_id or license_code");
        }
        String line;
        int number = 1;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells == null || cells.size() != columns.size()) {
                rows.problem("line " + number, (cells == null ? "an unclosed quote" : cells.size() + " columns") + ", expected "
                        + columns.size() + " (" + String.join(",", columns) + ")");
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                if (i != key) {
                    values.put(columns.get(i), cells.get(i).strip());
                }
            }
            String expires = values.get("expires");
            if (expires != null && !expires.isEmpty()) {
                try {
                    LocalDate.parse(expires);
                } catch (DateTimeParseException e) {
                    rows.problem("line " + number, "expires '" + expires + "' is not a date (YYYY-MM-DD)");
                    continue;
                }
            }
            rows.row(cells.get(key).strip(), values);
        }
    }

    /** The cells of one line, or null when a quote is not closed. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(cell.toString());
        return out;
    }
}
