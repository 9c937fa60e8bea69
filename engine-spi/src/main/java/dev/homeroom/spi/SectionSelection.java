package dev.homeroom.spi;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An admin selected this section to load (docs/POLICIES.md P22, {@code sections.filter=STAGING}). The pipeline inserts one
 * beside the section's fact for each selected section; a staged section without one waits.
 */
@API(status = API.Status.EXPERIMENTAL)
public record SectionSelection(String sectionId) {
    public SectionSelection {
        Objects.requireNonNull(sectionId, "sectionId");
    }
}
