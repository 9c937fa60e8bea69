package dev.homeroom.store.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.jooq.Field;

/** A stable hash of a provisioned row's values, so an unchanged row costs a compare instead of a write. */
public final class ContentHash {
    private ContentHash() {}

    public static String of(Map<Field<?>, Object> values) {
        MessageDigest sha = sha256();
        values.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Field::getName)))
                .forEach(e -> {
                    sha.update(e.getKey().getName().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(String.valueOf(e.getValue()).getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 1);
                });
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    /** The first 8 bytes of the SHA-256 of a text, as a long: summed, it makes an order-free digest of a set. */
    public static long longOf(String text) {
        byte[] d = sha256().digest(text.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
