package dev.homeroom.engine.internal;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.engine.CustomGroup;
import dev.homeroom.engine.CustomGroups;
import dev.homeroom.engine.GroupMember;
import dev.homeroom.engine.GroupTeacher;
import dev.homeroom.engine.GroupWithMembers;
import dev.homeroom.engine.TeacherSection;
import dev.homeroom.store.GroupStore;
import dev.homeroom.store.Store;
import dev.homeroom.store.StoreSession;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link CustomGroups} on the store: each call one transaction (or one read), its input checked by {@link GroupChecks}
 * first, so a refused call changes nothing.
 */
public final class TeacherGroups implements CustomGroups {
    private final Store store;

    public TeacherGroups(Store store) {
        this.store = store;
    }

    @Override
    public CustomGroup createEmpty(String teacherId, String name) {
        String clean = GroupChecks.name(name);
        return store.transaction(s -> {
            String district = GroupChecks.teacherDistrict(s, teacherId, true);
            return created(s, district, teacherId, clean, CustomGroup.Origin.EMPTY, null, List.of(), GroupMember.AddedHow.ADDED);
        });
    }

    @Override
    public CustomGroup copyFromSection(String teacherId, String sectionId, String name) {
        String clean = GroupChecks.name(name);
        return store.transaction(s -> {
            String district = GroupChecks.teacherDistrict(s, teacherId, true);
            GroupChecks.teachersSection(s, district, teacherId, sectionId);
            List<String> students = s.groups().sectionStudents(district, sectionId);
            return created(s, district, teacherId, clean, CustomGroup.Origin.COPIED_FROM_SECTION, sectionId, students,
                    GroupMember.AddedHow.COPIED);
        });
    }

    @Override
    public CustomGroup pick(String teacherId, String name, Collection<String> studentIds) {
        String clean = GroupChecks.name(name);
        List<String> ids = GroupChecks.ids(studentIds, "HR-GROUP-009", "pick at least one student (or create an empty group)");
        return store.transaction(s -> {
            String district = GroupChecks.teacherDistrict(s, teacherId, true);
            GroupChecks.teachersStudents(s, district, teacherId, ids);
            return created(s, district, teacherId, clean, CustomGroup.Origin.PICKED, null, ids, GroupMember.AddedHow.PICKED);
        });
    }

    @Override
    public List<CustomGroup> split(String teacherId, String sectionId, List<String> names) {
        List<String> clean = GroupChecks.subGroupNames(names);
        return store.transaction(s -> {
            String district = GroupChecks.teacherDistrict(s, teacherId, true);
            GroupChecks.teachersSection(s, district, teacherId, sectionId);
            List<String> students = s.groups().sectionStudents(district, sectionId);
            if (students.size() < clean.size()) {
                throw new ConfigurationException("HR-GROUP-012", "section " + sectionId + " has " + students.size() + " students now: it"
                        + " cannot be split into " + clean.size() + " sub-groups (give at most " + students.size() + " names)");
            }
            Map<String, List<String>> parts = new LinkedHashMap<>();
            clean.forEach(n -> parts.put(n, new ArrayList<>()));
            for (int i = 0; i < students.size(); i++) {
                parts.get(clean.get(i % clean.size())).add(students.get(i));
            }
            return subGroups(s, district, teacherId, sectionId, parts);
        });
    }

    @Override
    public List<CustomGroup> split(String teacherId, String sectionId, Map<String, ? extends Collection<String>> subGroups) {
        Map<String, List<String>> parts = GroupChecks.subGroups(subGroups);
        return store.transaction(s -> {
            String district = GroupChecks.teacherDistrict(s, teacherId, true);
            GroupChecks.teachersSection(s, district, teacherId, sectionId);
            GroupChecks.coversSection(sectionId, s.groups().sectionStudents(district, sectionId), parts);
            return subGroups(s, district, teacherId, sectionId, parts);
        });
    }

    @Override
    public List<String> students(String teacherId) {
        return store.read(s -> s.groups().teachersStudents(GroupChecks.teacherDistrict(s, teacherId, false), teacherId));
    }

    @Override
    public CustomGroup addMembers(String groupId, Collection<String> studentIds) {
        List<String> ids = GroupChecks.ids(studentIds, "HR-GROUP-009", "name at least one student to add");
        return store.transaction(s -> {
            GroupStore.GroupRow g = GroupChecks.group(s, groupId);
            GroupChecks.teacherDistrict(s, g.ownerId(), true);
            GroupChecks.teachersStudents(s, g.districtId(), g.ownerId(), ids);
            LocalDateTime now = now();
            if (s.groups().addMembers(groupId, g.districtId(), ids, GroupMember.AddedHow.ADDED.name(), now) > 0) {
                s.groups().touch(groupId, now);
            }
            return view(GroupChecks.group(s, groupId));
        });
    }

    @Override
    public CustomGroup removeMembers(String groupId, Collection<String> userIds) {
        List<String> ids = GroupChecks.ids(userIds, "HR-GROUP-009", "name at least one member to remove");
        return store.transaction(s -> {
            GroupChecks.group(s, groupId);
            var present = s.groups().members(groupId, ids);
            List<String> absent = ids.stream().filter(id -> !present.contains(id)).toList();
            if (!absent.isEmpty()) {
                throw new ConfigurationException("HR-GROUP-015", "not in group " + groupId + ": " + String.join(", ", absent)
                        + " (its members: groups show " + groupId + ")");
            }
            s.groups().removeMembers(groupId, ids);
            s.groups().touch(groupId, now());
            return view(GroupChecks.group(s, groupId));
        });
    }

    @Override
    public CustomGroup rename(String groupId, String name) {
        String clean = GroupChecks.name(name);
        return store.transaction(s -> {
            GroupChecks.group(s, groupId);
            s.groups().rename(groupId, clean, now());
            return view(GroupChecks.group(s, groupId));
        });
    }

    @Override
    public void delete(String groupId) {
        store.transaction(s -> {
            GroupChecks.group(s, groupId);
            return s.groups().delete(groupId);
        });
    }

    @Override
    public List<CustomGroup> groupsOf(String teacherId) {
        return store.read(s -> s.groups().groupsOf(GroupChecks.teacherDistrict(s, teacherId, false), teacherId).stream()
                .map(TeacherGroups::view).toList());
    }

    @Override
    public List<CustomGroup> groupsWithMember(String userId) {
        String id = GroupChecks.id(userId, "a user's Clever id");
        return store.read(s -> {
            List<String> districts = s.groups().accountDistricts(id);
            if (districts.isEmpty()) {
                throw new ConfigurationException("HR-GROUP-018", "no account with Clever id " + id + " in this store");
            }
            return districts.stream().<GroupStore.GroupRow>flatMap(d -> s.groups().groupsWithMember(d, id).stream()).map(TeacherGroups::view).toList();
        });
    }

    @Override
    public Optional<GroupWithMembers> group(String groupId) {
        String id = GroupChecks.id(groupId, "a group id");
        return store.read(s -> s.groups().group(id).map(g -> new GroupWithMembers(view(g),
                s.groups().members(id).stream().map(TeacherGroups::member).toList())));
    }

    @Override
    public List<CustomGroup> groupsOf(String teacherId, int limit, int offset) {
        return store.read(s -> s.groups().groupsOf(GroupChecks.teacherDistrict(s, teacherId, false), teacherId, limit, offset).stream()
                .map(TeacherGroups::view).toList());
    }

    @Override
    public Optional<GroupWithMembers> group(String groupId, int limit, int offset) {
        String id = GroupChecks.id(groupId, "a group id");
        return store.read(s -> s.groups().group(id).map(g -> new GroupWithMembers(view(g),
                s.groups().members(id, limit, offset).stream().map(TeacherGroups::member).toList())));
    }

    @Override
    public List<GroupTeacher> teachers(String districtId, String idPrefix, String afterId, int limit) {
        String prefix = idPrefix == null ? null : idPrefix.strip();
        String after = afterId == null || afterId.isBlank() ? null : afterId.strip();
        return store.read(s -> s.groups().teachers(districtId, prefix, after, limit)).stream()
                .map(t -> new GroupTeacher(t.districtId(), t.teacherId(), t.firstName(), t.lastName(), t.active())).toList();
    }

    @Override
    public List<TeacherSection> sections(String teacherId, int limit) {
        return store.read(s -> s.groups().teacherSections(GroupChecks.teacherDistrict(s, teacherId, false), teacherId, limit)).stream()
                .map(r -> new TeacherSection(r.sectionId(), r.name(), r.active(), r.students())).toList();
    }

    private List<CustomGroup> subGroups(StoreSession s, String district, String teacherId, String sectionId, Map<String, List<String>> parts) {
        List<CustomGroup> out = new ArrayList<>();
        parts.forEach((name, ids) -> out.add(created(s, district, teacherId, name, CustomGroup.Origin.SUB_GROUP, sectionId, ids,
                GroupMember.AddedHow.SPLIT)));
        return out;
    }

    private static CustomGroup created(StoreSession s, String district, String teacherId, String name, CustomGroup.Origin origin,
                                       String sectionId, List<String> members, GroupMember.AddedHow how) {
        String id = "g-" + UUID.randomUUID();
        s.groups().create(id, district, teacherId, name, origin.name(), sectionId, now(), members, how.name());
        return view(s.groups().group(id).orElseThrow());
    }

    /** Now, to the microsecond both stores keep. */
    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static CustomGroup view(GroupStore.GroupRow g) {
        return new CustomGroup(g.groupId(), g.districtId(), g.ownerId(), g.name(), CustomGroup.Origin.valueOf(g.origin()), g.sourceSectionId(),
                g.createdAt().toInstant(ZoneOffset.UTC), g.editedAt().toInstant(ZoneOffset.UTC), g.activeMembers(), g.inactiveMembers());
    }

    private static GroupMember member(GroupStore.MemberRow m) {
        return new GroupMember(m.userId(), m.firstName(), m.lastName(), GroupMember.AddedHow.valueOf(m.addedHow()),
                m.addedAt().toInstant(ZoneOffset.UTC), m.active() ? GroupMember.Status.ACTIVE : GroupMember.Status.INACTIVE);
    }
}
