package dev.homeroom.spi;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A run of one district starting: its id (as the host's {@code runs} and {@code explain} show it), the district's Clever
 * id and the mode ({@code full} or {@code incremental}).
 *
 * @since SPI 1.1
 */
@API(status = API.Status.EXPERIMENTAL)
public record RunStart(String runId, String districtId, String mode) {
    public RunStart {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(districtId, "districtId");
        Objects.requireNonNull(mode, "mode");
    }
}
