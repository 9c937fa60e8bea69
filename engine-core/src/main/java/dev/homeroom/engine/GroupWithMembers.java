package dev.homeroom.engine;

import java.util.List;
import org.apiguardian.api.API;

/** A custom group and its members, by last name, first name and Clever id. */
@API(status = API.Status.EXPERIMENTAL)
public record GroupWithMembers(CustomGroup group, List<GroupMember> members) {
    public GroupWithMembers {
        members = List.copyOf(members);
    }
}
