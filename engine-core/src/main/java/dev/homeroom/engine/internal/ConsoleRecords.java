package dev.homeroom.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.homeroom.engine.StagedSection;
import dev.homeroom.spi.RecordKind;
import dev.homeroom.spi.Section;
import dev.homeroom.store.ConsoleQueries;

/** Turns the console's store rows into the engine's public records (a section's subject and grade are in its payload). */
public final class ConsoleRecords {
    private ConsoleRecords() {}

    public static ObjectMapper mapper() {
        return RecordCodec.mapper();
    }

    public static StagedSection section(ObjectMapper mapper, ConsoleQueries.SectionRow r) {
        String subject = null;
        String grade = null;
        try {
            Section s = (Section) RecordCodec.read(mapper, RecordKind.SECTION, r.payload());
            subject = s.subject();
            grade = s.grade();
        } catch (SyncPipeline.JsonFailure e) {
            // a payload this version cannot read back shows without its subject and grade
        }
        return new StagedSection(r.cleverId(), r.name(), r.schoolId(), r.schoolName(), r.termId(), r.termName(), r.courseId(),
                r.courseName(), subject, grade, r.selected(), r.outcome(), r.outcomeRule());
    }
}
