package dev.homeroom.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpiVersionTest {

    @Test
    void theRunningVersionIsTheOneTheBuildWroteAndTheConstantAgrees() {
        // the resource is filtered from engine-spi's pom (homeroom.spi.version): bumping one without the other fails here
        assertThat(SpiVersion.class.getResource("/dev/homeroom/spi/spi-version.properties")).isNotNull();
        assertThat(SpiVersion.running()).matches("\\d+\\.\\d+").isEqualTo(SpiVersion.CURRENT);
        assertThat(SpiVersion.artifactVersion()).doesNotStartWith("$").isNotEqualTo("unknown");
    }

    @Test
    void aPluginRunsOnTheSameMajorWithAMinorNoNewerThanTheEngines() {
        assertThat(SpiVersion.isCompatible("1.2", "1.3")).as("older minor").isTrue();
        assertThat(SpiVersion.isCompatible("1.3", "1.3")).isTrue();
        assertThat(SpiVersion.isCompatible("1", "1.3")).as("major only = .0").isTrue();
        assertThat(SpiVersion.isCompatible("1.3.7", "1.3")).as("patch ignored").isTrue();
        assertThat(SpiVersion.isCompatible("1.4", "1.3")).as("needs a newer minor").isFalse();
        assertThat(SpiVersion.isCompatible("1.2", "2.0")).as("another major").isFalse();
        assertThat(SpiVersion.isCompatible("2.0", "1.3")).as("another major").isFalse();
        assertThat(SpiVersion.isCompatible("0.9", "1.0")).isFalse();
    }

    @Test
    void aMalformedVersionIsNeverCompatible() {
        for (String bad : new String[] {null, "", "one", "1.x", "1.2.3.4", "-1.0", "1.-2"}) {
            assertThat(SpiVersion.isCompatible(bad, "1.0")).as(String.valueOf(bad)).isFalse();
            assertThat(SpiVersion.isWellFormed(bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThat(SpiVersion.major("2.5")).isEqualTo(2);
        assertThat(SpiVersion.major("x")).isEqualTo(-1);
    }

    @Test
    void aPluginBuiltForThisSpiRuns() {
        assertThat(SpiVersion.isCompatible(SpiVersion.CURRENT)).isTrue();
    }
}
