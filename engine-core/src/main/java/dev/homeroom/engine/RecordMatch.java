package dev.homeroom.engine;

import org.apiguardian.api.API;

/**
 * A record a search found: its kind, Clever id, label (a user's last name; a section's, school's, term's or course's
 * name), its current outcome (null before any run decided it) and whether Clever no longer shares it.
 */
@API(status = API.Status.EXPERIMENTAL)
public record RecordMatch(String districtId, String kind, String cleverId, String label, String outcome, boolean gone) {}
