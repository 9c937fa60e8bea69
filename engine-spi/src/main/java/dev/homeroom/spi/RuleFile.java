package dev.homeroom.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apiguardian.api.API;

/** One DRL file's text and the name errors are reported under (e.g. {@code springfield/section-names.drl}). */
@API(status = API.Status.STABLE)
public record RuleFile(String name, String content) {
    public RuleFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
    }

    /** Reads a DRL file packaged beside {@code anchor} (a plugin's jar), e.g. {@code fromResource(MyPlugin.class, "/rules/x.drl")}. */
    public static RuleFile fromResource(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("rule file not found on the classpath of " + anchor.getName() + ": " + resource);
            }
            String name = resource.startsWith("/") ? resource.substring(1) : resource;
            return new RuleFile(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + resource, e);
        }
    }
}
