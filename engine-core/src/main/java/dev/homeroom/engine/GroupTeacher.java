package dev.homeroom.engine;

import org.apiguardian.api.API;

/** A teacher account a district's custom groups may belong to ({@link CustomGroups#teachers}): its Clever id, names and whether it is active. */
@API(status = API.Status.EXPERIMENTAL)
public record GroupTeacher(String districtId, String teacherId, String firstName, String lastName, boolean active) {}
