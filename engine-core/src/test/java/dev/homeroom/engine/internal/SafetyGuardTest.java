package dev.homeroom.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.internal.SafetyGuard.KindCheck;
import dev.homeroom.spi.Policies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafetyGuardTest {
    private static final Policies DEFAULTS = Policies.of(Map.of());

    private static KindCheck classes(long active, long deactivated, boolean empty) {
        return new KindCheck("sections", "classes", "safety.max_deactivation_ratio.classes", active, deactivated, empty);
    }

    @Test
    void everyKindHasItsOwnShare() {
        assertThat(SafetyGuard.check(List.of(classes(100, 20, false)), true, DEFAULTS)).as("20% is not above 0.2").isNull();
        assertThat(SafetyGuard.check(List.of(classes(100, 21, false)), true, DEFAULTS))
                .isEqualTo("this run would deactivate 21 of 100 active classes (21%), above safety.max_deactivation_ratio.classes=0.2");
        Policies lenient = Policies.of(Map.of("safety.max_deactivation_ratio.classes", "0.5"));
        assertThat(SafetyGuard.check(List.of(classes(100, 40, false)), true, lenient)).isNull();
        KindCheck memberships = new KindCheck("sections", "memberships", "safety.max_deactivation_ratio.memberships", 16_648, 16_648, false);
        assertThat(SafetyGuard.check(List.of(classes(100, 0, false), memberships), true, lenient))
                .startsWith("this run would deactivate 16648 of 16648 active memberships (100%)");
    }

    @Test
    void aFewActiveRowsAreExemptFromTheShareButNotFromAnEmptyCollection() {
        assertThat(SafetyGuard.check(List.of(classes(9, 9, false)), true, DEFAULTS)).isNull();
        assertThat(SafetyGuard.check(List.of(classes(2, 2, true)), true, DEFAULTS))
                .isEqualTo("Clever sent no sections while 2 classes are active (sharing revoked or an outage?)");
    }

    @Test
    void anEmptyCollectionHaltsOnlyAFullRunAndOnlyWhenSomethingWasActive() {
        assertThat(SafetyGuard.check(List.of(classes(648, 0, true)), false, DEFAULTS)).as("an incremental run fetches what changed").isNull();
        assertThat(SafetyGuard.check(List.of(classes(0, 0, true)), true, DEFAULTS)).as("a district that never had sections").isNull();
        assertThat(SafetyGuard.check(List.of(classes(648, 648, true),
                new KindCheck("users", "accounts", "safety.max_deactivation_ratio", 500, 0, false)), true, DEFAULTS))
                .isEqualTo("Clever sent no sections while 648 classes are active (sharing revoked or an outage?)");
    }
}
