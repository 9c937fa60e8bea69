/**
 * Test kit for hosts and plugin authors: a deterministic synthetic Clever district
 * ({@link dev.homeroom.testkit.SyntheticDistrict}, shaped by {@link dev.homeroom.testkit.DistrictSpec},
 * carrying every {@link dev.homeroom.testkit.Quirk} of docs/POLICIES.md on known ids) and a Clever API v3.0
 * simulator on loopback HTTP ({@link dev.homeroom.testkit.CleverSimulator}) with envelopes, range
 * paging, bearer auth, rate-limit headers, an {@code /events} feed between district states and
 * {@link dev.homeroom.testkit.Faults} on demand. Everything under {@code .internal} is not API.
 */
package dev.homeroom.testkit;
