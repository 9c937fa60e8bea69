package dev.homeroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class H2SettingsTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(H2Settings.OBJECT_CACHE);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(H2Settings.OBJECT_CACHE);
        } else {
            System.setProperty(H2Settings.OBJECT_CACHE, saved);
        }
    }

    @Test
    void theObjectCacheIsTurnedOffWhereTheHostSetNothing() {
        System.clearProperty(H2Settings.OBJECT_CACHE);
        assertThat(H2Settings.choose()).isTrue();
        assertThat(System.getProperty(H2Settings.OBJECT_CACHE)).isEqualTo("false");
    }

    @Test
    void aHostsOwnChoiceIsKept() {
        System.setProperty(H2Settings.OBJECT_CACHE, "true");
        assertThat(H2Settings.choose()).isFalse();
        assertThat(System.getProperty(H2Settings.OBJECT_CACHE)).isEqualTo("true");
    }

    @Test
    void anH2StoreOpenedWithNothingSetChoosesIt() {
        System.clearProperty(H2Settings.OBJECT_CACHE);
        try (Store store = Store.open(StoreConfig.h2Memory("h2-settings-" + System.nanoTime()))) {
            assertThat(store).isNotNull();
        }
        assertThat(System.getProperty(H2Settings.OBJECT_CACHE)).isEqualTo("false");
    }
}
