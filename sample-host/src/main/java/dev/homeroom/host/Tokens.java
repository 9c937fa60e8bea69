package dev.homeroom.host;

import dev.homeroom.engine.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the Clever token comes from: {@code --token}, {@code --token-file}, or the environment's {@code CLEVER_TOKEN}. */
final class Tokens {
    private Tokens() {}

    /** The token to use, or null when none was given (the engine then says how to give one). */
    static String resolve(String option, Path file, String environment) {
        if (option != null && file != null) {
            throw new ConfigurationException("HR-CONFIG-070", "give the token once: --token or --token-file, not both");
        }
        if (option != null) {
            return option;
        }
        if (file != null) {
            return read(file);
        }
        return environment;
    }

    private static String read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigurationException("HR-CONFIG-071", "cannot read the token file " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        String token = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        if (token.isEmpty()) {
            throw new ConfigurationException("HR-CONFIG-072", "the token file " + file + " is empty: put the district's bearer token on its first line");
        }
        return token;
    }
}
