package dev.homeroom.rules;

import dev.homeroom.spi.Policies;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Reads a policies file: Java properties in UTF-8, one {@code key = value} per line, {@code #} comments.
 * Every key is checked against {@link PolicyCatalog}; keys the file leaves out take the catalog's default, so the
 * result always holds every key. A key {@code district.<cleverDistrictId>.<key>} overrides {@code <key>} for that
 * district only; {@link Policies#forDistrict(String)} applies them.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class PolicyFile {
    /** Where the rules jar ships its policies file. */
    public static final String DEFAULT_RESOURCE = "homeroom/rules/policies.properties";

    private PolicyFile() {}

    /** Reads and checks a policies file. */
    public static Policies load(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), in);
        } catch (NoSuchFileException e) {
            throw new PolicyException(PolicyException.NOT_FOUND, file + ": policies file not found");
        } catch (IOException e) {
            throw new PolicyException(PolicyException.NOT_FOUND, file + ": cannot read policies file (" + e.getMessage() + ")", e);
        }
    }

    /** The policies file shipped in the rules jar ({@value #DEFAULT_RESOURCE}). */
    public static Policies defaults() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null || loader.getResource(DEFAULT_RESOURCE) == null) {
            loader = PolicyFile.class.getClassLoader();
        }
        InputStream stream = loader.getResourceAsStream(DEFAULT_RESOURCE);
        if (stream == null) {
            throw new PolicyException(PolicyException.NOT_FOUND, DEFAULT_RESOURCE
                    + ": default policies not on the classpath (add the dev.homeroom:rules jar)");
        }
        try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            return parse(DEFAULT_RESOURCE, in);
        } catch (IOException e) {
            throw new PolicyException(PolicyException.NOT_FOUND, DEFAULT_RESOURCE + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Parses and checks policies text; {@code sourceName} is what error messages call it. */
    public static Policies parse(String sourceName, Reader reader) {
        Properties props = new Properties();
        try {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new PolicyException(PolicyException.BAD_POLICY, sourceName + ": not a properties file (" + e.getMessage() + ")", e);
        }
        Map<String, String> raw = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            raw.put(key, props.getProperty(key));
        }
        Map<String, String> values = new TreeMap<>(PolicyCatalog.defaults().asMap());
        values.putAll(PolicyCatalog.validateAll(sourceName, raw));
        return Policies.of(values);
    }

    /**
     * Checks overrides from a plugin or a host ({@code source} names them in messages) and returns them normalized,
     * ready for {@link Policies#with(Map)}.
     */
    public static Map<String, String> validateOverrides(String source, Map<String, String> overrides) {
        return PolicyCatalog.validateAll(source, overrides);
    }

    /** The policies of one district: {@code district.<id>.*} overrides applied, other districts' removed. */
    public static Policies forDistrict(Policies policies, String districtId) {
        return policies.forDistrict(districtId);
    }
}
