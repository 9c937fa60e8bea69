package dev.homeroom.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.CustomGroup;
import dev.homeroom.engine.GroupMember;
import dev.homeroom.engine.GroupWithMembers;
import dev.homeroom.engine.SyncEngine;
import dev.homeroom.engine.internal.ReportJson;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code groups TEACHER_CLEVER_ID} lists a teacher's custom groups; {@code groups show GROUP_ID} one group's members. */
@Command(name = "groups", description = "A teacher's custom groups with their member counts; 'groups show GROUP_ID' lists one group's members.",
        subcommands = {GroupsCommand.Show.class, picocli.CommandLine.HelpCommand.class})
final class GroupsCommand extends StoreCommand {
    // optional here so that 'groups show ID' parses; a missing id is refused below
    @Parameters(index = "0", arity = "0..1", paramLabel = "TEACHER_CLEVER_ID", description = "the Clever id of a teacher")
    String teacherId;

    @Override
    public Integer call() throws JsonProcessingException {
        if (teacherId == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a teacher's Clever id (groups TEACHER_CLEVER_ID),"
                    + " or a group's id to 'groups show GROUP_ID'");
        }
        PrintWriter out = out();
        try (SyncEngine engine = store.readOnlyEngine()) {
            List<CustomGroup> groups = engine.groups().groupsOf(teacherId);
            if (json) {
                out.println(ReportJson.mapper().writeValueAsString(groups));
                return HomeroomCli.OK;
            }
            groups.forEach(g -> out.printf("%s  %-19s %-26s members %d (%d active, %d inactive)  %s%n", g.id(), g.origin(),
                    g.sourceSectionId() == null ? "" : "section " + g.sourceSectionId(), g.members(), g.activeMembers(),
                    g.inactiveMembers(), g.name()));
            out.printf("%d custom group%s of teacher %s%n", groups.size(), groups.size() == 1 ? "" : "s", teacherId);
            return HomeroomCli.OK;
        }
    }

    @Command(name = "show", description = "One custom group: its origin, and each member ACTIVE or INACTIVE as its account is now.")
    static final class Show extends StoreCommand {
        @Parameters(index = "0", paramLabel = "GROUP_ID")
        String groupId;

        @Override
        public Integer call() throws JsonProcessingException {
            PrintWriter out = out();
            try (SyncEngine engine = store.readOnlyEngine()) {
                GroupWithMembers found = engine.groups().group(groupId).orElseThrow(() -> new ConfigurationException("HR-GROUP-014",
                        "no custom group with id " + groupId + " in this store (a teacher's groups: groups TEACHER_CLEVER_ID)"));
                if (json) {
                    out.println(ReportJson.mapper().writeValueAsString(found));
                    return HomeroomCli.OK;
                }
                CustomGroup g = found.group();
                out.printf("%s  %s  teacher %s, district %s%n", g.id(), g.name(), g.teacherId(), g.districtId());
                out.printf("  %s%s, created %s, edited %s%n", g.origin(), g.sourceSectionId() == null ? "" : " of section " + g.sourceSectionId(),
                        g.createdAt(), g.editedAt());
                for (GroupMember m : found.members()) {
                    out.printf("  %-24s %-8s %-40s %-6s %s%n", m.userId(), m.status(), name(m), m.addedHow(), m.addedAt());
                }
                out.printf("%d members: %d active, %d inactive%n", g.members(), g.activeMembers(), g.inactiveMembers());
                return HomeroomCli.OK;
            }
        }

        private static String name(GroupMember m) {
            if (m.lastName() == null && m.firstName() == null) {
                return "(no account)";
            }
            return (m.lastName() == null ? "" : m.lastName()) + (m.firstName() == null ? "" : ", " + m.firstName());
        }
    }
}
