package dev.homeroom.store;

import org.apiguardian.api.API;

/** What reconciling a desired provisioned row with the stored one did. */
@API(status = API.Status.INTERNAL)
public enum ProvisionedChange {
    CREATED, UPDATED, UNCHANGED, REACTIVATED, DEACTIVATED, NONE
}
