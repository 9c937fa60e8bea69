package dev.homeroom.host;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.DistrictSchedule;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The districts file of {@code serve}: one district per line, a key then {@code name=value} fields; {@code #} starts a
 * comment. Every mistake fails at once with {@code FILE:LINE: what to change}.
 *
 * <pre>
 * # key        fields
 * springfield  token-file=/etc/homeroom/springfield.token daily=02:00 incremental=30
 * shelbyville  url=https://api.clever.com token-env=SHELBYVILLE_TOKEN daily=03:15 incremental=60 zone=America/Chicago
 * </pre>
 */
final class DistrictsFile {
    static final List<String> FIELDS = List.of("url", "token-file", "token-env", "daily", "incremental", "zone");

    /** One line of the file. */
    record Entry(String key, String cleverUrl, String token, DistrictSchedule schedule, int line) {}

    private DistrictsFile() {}

    static List<Entry> read(Path file, Map<String, String> environment) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigurationException("HR-SCHED-010", "districts file " + file + " not found (check --districts)");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigurationException("HR-SCHED-010", "cannot read the districts file " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); it must be UTF-8 text");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int hash = text.indexOf('#');
            text = (hash >= 0 ? text.substring(0, hash) : text).strip();
            if (text.isEmpty()) {
                continue;
            }
            Entry e = entry(file, i + 1, text.split("\\s+"), environment);
            if (!keys.add(e.key())) {
                throw bad(file, i + 1, "district '" + e.key() + "' is listed twice: each key once");
            }
            entries.add(e);
        }
        if (entries.isEmpty()) {
            throw new ConfigurationException("HR-SCHED-011", file + ": no districts: add one line per district, e.g. "
                    + "'springfield token-file=springfield.token daily=02:00 incremental=30'");
        }
        return entries;
    }

    private static Entry entry(Path file, int line, String[] words, Map<String, String> environment) {
        String key = words[0];
        if (key.contains("=") || !key.matches("[A-Za-z0-9._-]{1,100}")) {
            throw bad(file, line, "'" + key + "' is not a district key: start the line with a key of 1 to 100 letters, digits, '.', '_' or '-'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int w = 1; w < words.length; w++) {
            int eq = words[w].indexOf('=');
            if (eq <= 0) {
                throw bad(file, line, "'" + words[w] + "' is not name=value: use one of " + String.join(", ", FIELDS));
            }
            String name = words[w].substring(0, eq);
            if (!FIELDS.contains(name)) {
                throw bad(file, line, "unknown field '" + name + "': use one of " + String.join(", ", FIELDS));
            }
            if (fields.put(name, words[w].substring(eq + 1)) != null) {
                throw bad(file, line, "field '" + name + "' is given twice");
            }
        }
        String url = fields.getOrDefault("url", "https://api.clever.com");
        checkUrl(file, line, url);
        String token = token(file, line, key, fields, environment);
        LocalTime daily;
        try {
            daily = LocalTime.parse(fields.getOrDefault("daily", "02:00"));
        } catch (java.time.format.DateTimeParseException e) {
            throw bad(file, line, "daily='" + fields.get("daily") + "' is not a time: use HH:MM, e.g. daily=02:00");
        }
        int minutes;
        try {
            minutes = Integer.parseInt(fields.getOrDefault("incremental", "60"));
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (minutes < 1) {
            throw bad(file, line, "incremental='" + fields.get("incremental") + "' is not a number of minutes: use 1 or more, e.g. incremental=30");
        }
        ZoneId zone;
        try {
            zone = fields.containsKey("zone") ? ZoneId.of(fields.get("zone")) : java.time.ZoneOffset.UTC;
        } catch (java.time.DateTimeException e) {
            throw bad(file, line, "zone='" + fields.get("zone") + "' is not a time zone: use an id such as UTC or America/Chicago");
        }
        return new Entry(key, url, token, new DistrictSchedule(daily, zone, Duration.ofMinutes(minutes)), line);
    }

    private static String token(Path file, int line, String key, Map<String, String> fields, Map<String, String> environment) {
        String tokenFile = fields.get("token-file");
        String tokenEnv = fields.get("token-env");
        if ((tokenFile == null) == (tokenEnv == null)) {
            throw bad(file, line, "district '" + key + "' needs its token once: token-file=FILE or token-env=VARIABLE");
        }
        if (tokenEnv != null) {
            String token = environment.get(tokenEnv);
            if (token == null || token.isBlank()) {
                throw bad(file, line, "environment variable " + tokenEnv + " (token-env) is not set: export the district's token in it");
            }
            return token.strip();
        }
        Path path = file.toAbsolutePath().getParent() == null ? Path.of(tokenFile) : file.toAbsolutePath().getParent().resolve(tokenFile);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw bad(file, line, "cannot read token-file " + path + " (" + e.getClass().getSimpleName() + "): give a readable file "
                    + "(relative paths are from the districts file's folder)");
        }
        String token = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        if (token.isEmpty()) {
            throw bad(file, line, "token-file " + path + " is empty: put the district's bearer token on its first line");
        }
        return token;
    }

    /** The engine's own rule, said with the line: https, or plain http to a loopback host only. */
    private static void checkUrl(Path file, int line, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw bad(file, line, "url='" + url + "' is not a URL: use an origin such as https://api.clever.com");
        }
        String host = uri.getHost();
        boolean loopback = host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1"));
        if (host == null || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback))) {
            throw bad(file, line, "url='" + url + "' must be https (plain http only to a loopback host), e.g. url=https://api.clever.com");
        }
    }

    private static ConfigurationException bad(Path file, int line, String what) {
        return new ConfigurationException("HR-SCHED-012", file + ":" + line + ": " + what);
    }
}
