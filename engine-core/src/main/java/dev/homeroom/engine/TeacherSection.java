package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * A section a teacher teaches now ({@link CustomGroups#sections}), one a group may be copied or split from: its Clever id,
 * name, whether its class is active and how many students it has now.
 */
@API(status = API.Status.EXPERIMENTAL)
public record TeacherSection(String sectionId, String name, boolean active, int students) {}
