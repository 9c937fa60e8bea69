package dev.homeroom.store.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A Clever record's JSON as the shadow keeps it ({@code clever_record.body}): deflated with a preset dictionary of
 * Clever's field names, so a 730-byte user takes about 170 bytes. PostgreSQL compresses only values in rows over about
 * 2 KB, which a Clever record's row never reaches, so the engine does it.
 *
 * <p>The first byte says how the rest is kept: {@code 0} UTF-8 as is (when deflating would not make it smaller),
 * {@code 1} raw deflate with dictionary 1 ({@code payload-dictionary-1.json} beside this class). A stored value must
 * stay readable for ever, so dictionary 1 never changes: a better one is dictionary 2, with its own first byte.
 */
public final class PackedText {
    private static final byte PLAIN = 0;
    private static final byte DEFLATED_1 = 1;
    private static final byte[] DICTIONARY_1 = dictionary("payload-dictionary-1.json");

    /** Deflaters and inflaters hold native buffers: one of each per thread, reset between values. */
    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));

    private PackedText() {}

    public static byte[] pack(String text) {
        if (text == null) {
            return null;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = DEFLATER.get();
        deflater.reset();
        deflater.setDictionary(DICTIONARY_1);
        deflater.setInput(utf8);
        deflater.finish();
        byte[] out = new byte[utf8.length + 1];
        out[0] = DEFLATED_1;
        int length = 1;
        while (!deflater.finished() && length < out.length) {
            length += deflater.deflate(out, length, out.length - length);
        }
        if (!deflater.finished()) { // no smaller deflated: keep the text as it is
            out[0] = PLAIN;
            System.arraycopy(utf8, 0, out, 1, utf8.length);
            return out;
        }
        return Arrays.copyOf(out, length);
    }

    public static String unpack(byte[] packed) {
        if (packed == null) {
            return null;
        }
        if (packed.length == 0) {
            throw new IllegalArgumentException("an empty packed value: the store's body column was written by something else");
        }
        return switch (packed[0]) {
            case PLAIN -> new String(packed, 1, packed.length - 1, StandardCharsets.UTF_8);
            case DEFLATED_1 -> inflate(packed);
            default -> throw new IllegalArgumentException("a packed value of an unknown kind " + packed[0]
                    + ": the store was written by a newer Homeroom");
        };
    }

    private static String inflate(byte[] packed) {
        Inflater inflater = INFLATER.get();
        inflater.reset();
        inflater.setDictionary(DICTIONARY_1); // raw deflate carries no header asking for it: set before the first byte
        inflater.setInput(packed, 1, packed.length - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length * 5);
        byte[] buffer = new byte[Math.max(256, packed.length * 5)];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsInput()) {
                    throw new IllegalArgumentException("a packed value cut short (" + packed.length + " bytes)");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a packed value that does not inflate: " + e.getMessage(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] dictionary(String resource) {
        try (InputStream in = PackedText.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the engine-store jar lacks " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
