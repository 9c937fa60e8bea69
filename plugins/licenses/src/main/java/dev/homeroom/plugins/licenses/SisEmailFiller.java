package dev.homeroom.plugins.licenses;

import dev.homeroom.spi.FillerProvider;
import dev.homeroom.spi.MissingField;
import java.util.Locale;
import java.util.Optional;

/**
 * The district's own filler for a missing email: {@code SIS_ID@DOMAIN}, the address its product logins are made of. A user
 * without a SIS id keeps the default (none).
 */
final class SisEmailFiller implements FillerProvider {
    private final String domain;

    SisEmailFiller(String domain) {
        this.domain = domain;
    }

    @Override
    public String field() {
        return "email";
    }

    @Override
    public Optional<String> fill(MissingField missing) {
        var user = missing.user();
        if (user == null) {
            return Optional.empty();
        }
        var roles = user.roles();
        String sis = roles.student() != null ? roles.student().sisId() : roles.teacher() != null ? roles.teacher().sisId() : null;
        return sis == null || sis.isBlank() ? Optional.empty() : Optional.of(sis.strip().toLowerCase(Locale.ROOT) + "@" + domain);
    }

    @Override
    public String reason() {
        return "the district's login address (SIS id at " + domain + ") until Clever sends an email";
    }
}
