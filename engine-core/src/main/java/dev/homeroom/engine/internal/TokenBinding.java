package dev.homeroom.engine.internal;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.spi.District;
import dev.homeroom.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds each Clever token to the district it was first seen to belong to (the store keeps the token's SHA-256, never
 * the token). A token that later sees another district is refused, unless the host allows it: syncing it would add the
 * other district as new and announce all its people, while the first district's accounts stay as they were.
 */
public final class TokenBinding {
    private static final Logger log = LoggerFactory.getLogger(TokenBinding.class);

    private TokenBinding() {}

    static void check(Store store, EngineSettings settings, District district) {
        String fingerprint = fingerprint(settings.token());
        Optional<String> bound = store.boundDistrict(fingerprint);
        if (bound.isPresent() && bound.get().equals(district.id())) {
            return;
        }
        if (bound.isPresent()) {
            if (!settings.allowDistrictChange()) {
                throw new ConfigurationException("HR-CONFIG-076", "this Clever token synced district " + bound.get()
                        + " before, but Clever now shows it district " + district.id() + " (" + district.name() + "): refused, so"
                        + " that district is not synced as a new one. Check the token; if it really moved to the other district,"
                        + " allow it with SyncEngine.builder().allowDistrictChange(true)");
            }
            log.warn("HR-SYNC-110 the Clever token that synced district {} now sees district {} ({}); syncing it, as the host allows",
                    bound.get(), district.id(), district.name());
        }
        store.bindToken(fingerprint, district.id());
    }

    /** The token's SHA-256 in hex: what the store keeps of it. */
    public static String fingerprint(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
