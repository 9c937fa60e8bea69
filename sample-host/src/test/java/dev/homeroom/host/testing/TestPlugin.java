package dev.homeroom.host.testing;

import dev.homeroom.spi.DistrictPlugin;
import dev.homeroom.spi.SpiVersion;

/**
 * A test's district plugin: its name, the current SPI version, and the one district it applies to (null: every
 * district). A test overrides the contributions it needs.
 */
public abstract class TestPlugin implements DistrictPlugin {
    private final String name;
    private final String district;

    protected TestPlugin(String name, String district) {
        this.name = name;
        this.district = district;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public boolean appliesTo(String districtId) {
        return district == null || district.equals(districtId);
    }
}
