package dev.homeroom.engine.internal;

import dev.homeroom.engine.ConfigurationException;
import dev.homeroom.store.GroupStore;
import dev.homeroom.store.StoreSession;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of {@link TeacherGroups}: each refusal is one line with its {@code HR-GROUP-0NN} code and what to change.
 * HR-GROUP-001 unknown teacher, 002 a teacher in several districts, 003 a deactivated teacher, 004 unknown section,
 * 005 not the teacher's section, 006 empty name, 007 name too long, 008 not the teacher's student, 009 no ids given,
 * 010 fewer than two sub-groups, 011 two sub-groups with one name, 012 a sub-group without students, 013 a split that
 * does not cover its section, 014 unknown group, 015 not a member, 016 a deactivated section, 017 a blank id,
 * 018 unknown user.
 */
final class GroupChecks {
    static final int MAX_NAME = 200;
    private static final int LISTED = 5;

    private GroupChecks() {}

    static String id(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new ConfigurationException("HR-GROUP-017", "no id given: give " + what);
        }
        return id.strip();
    }

    static String name(String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty()) {
            throw new ConfigurationException("HR-GROUP-006", "a group's name is empty: give it a name");
        }
        if (clean.length() > MAX_NAME) {
            throw new ConfigurationException("HR-GROUP-007", "a group's name has " + clean.length() + " characters: give at most " + MAX_NAME);
        }
        return clean;
    }

    /** The ids, stripped, each once, in the order given; none is refused with {@code code}. */
    static List<String> ids(Collection<String> ids, String code, String ask) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>((ids == null ? List.<String>of() : ids).stream()
                .map(i -> id(i, "each student's Clever id")).toList()));
        if (out.isEmpty()) {
            throw new ConfigurationException(code, "no students given: " + ask);
        }
        return out;
    }

    /** The district of a teacher account with this id; {@code toEdit} refuses a deactivated one. */
    static String teacherDistrict(StoreSession s, String teacherId, boolean toEdit) {
        String id = id(teacherId, "a teacher's Clever id");
        List<GroupStore.TeacherRow> rows = s.groups().teacher(id);
        if (rows.isEmpty()) {
            throw new ConfigurationException("HR-GROUP-001", "no teacher with Clever id " + id + " in this store (a teacher has an"
                    + " account once a sync provisioned it; check the id with explain " + id + ")");
        }
        if (rows.size() > 1) {
            throw new ConfigurationException("HR-GROUP-002", "teacher " + id + " has accounts in " + rows.size() + " districts ("
                    + String.join(", ", rows.stream().map(GroupStore.TeacherRow::districtId).toList())
                    + "): keep each district in a store of its own to give its teachers groups");
        }
        if (toEdit && !rows.get(0).active()) {
            throw new ConfigurationException("HR-GROUP-003", "teacher " + id + "'s account is deactivated: their groups can be read,"
                    + " renamed and deleted, not filled");
        }
        return rows.get(0).districtId();
    }

    /** The section is an active class of the district that the teacher teaches now. */
    static void teachersSection(StoreSession s, String district, String teacherId, String sectionId) {
        String id = id(sectionId, "a section's Clever id");
        Boolean active = s.groups().classActive(district, id).orElseThrow(() -> new ConfigurationException("HR-GROUP-004",
                "no section with Clever id " + id + " in district " + district + " (a section has a class once a sync provisioned it)"));
        if (!active) {
            throw new ConfigurationException("HR-GROUP-016", "section " + id + " is deactivated: it has no students to copy or split");
        }
        if (!s.groups().teaches(district, teacherId, id)) {
            throw new ConfigurationException("HR-GROUP-005", "teacher " + teacherId + " does not teach section " + id
                    + ": copy or split one of their own sections");
        }
    }

    /** Every id is one of the teacher's students now. */
    static void teachersStudents(StoreSession s, String district, String teacherId, List<String> ids) {
        Set<String> theirs = s.groups().teachersStudents(district, teacherId, ids);
        List<String> foreign = ids.stream().filter(id -> !theirs.contains(id)).toList();
        if (!foreign.isEmpty()) {
            throw new ConfigurationException("HR-GROUP-008", "not a student of teacher " + teacherId + "'s sections: " + listed(foreign)
                    + " (a group holds only the teacher's students; see CustomGroups.students)");
        }
    }

    static GroupStore.GroupRow group(StoreSession s, String groupId) {
        String id = id(groupId, "a group id");
        return s.groups().group(id).orElseThrow(() -> new ConfigurationException("HR-GROUP-014", "no custom group with id " + id
                + " in this store (a teacher's groups: groups TEACHER_ID)"));
    }

    /** Names for a split: two or more, each a valid name, no two alike (ignoring case). */
    static List<String> subGroupNames(Collection<String> names) {
        List<String> clean = (names == null ? List.<String>of() : names).stream().map(GroupChecks::name).toList();
        if (clean.size() < 2) {
            throw new ConfigurationException("HR-GROUP-010", "a split needs at least 2 sub-groups, got " + clean.size()
                    + " (to copy a section whole, copy it)");
        }
        Set<String> seen = new HashSet<>();
        for (String n : clean) {
            if (!seen.add(n.toLowerCase(java.util.Locale.ROOT))) {
                throw new ConfigurationException("HR-GROUP-011", "two sub-groups are named '" + n + "': give each its own name");
            }
        }
        return clean;
    }

    /** A split given student by student: valid names, each sub-group with students, no student in two. */
    static Map<String, List<String>> subGroups(Map<String, ? extends Collection<String>> subGroups) {
        List<String> names = subGroupNames(subGroups == null ? List.of() : List.copyOf(subGroups.keySet()));
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, String> placed = new HashMap<>();
        int i = 0;
        for (var e : subGroups.entrySet()) {
            String name = names.get(i++);
            Collection<String> given = e.getValue() == null ? List.of() : e.getValue();
            if (given.isEmpty()) {
                throw new ConfigurationException("HR-GROUP-012", "sub-group '" + name + "' has no students: give each at least one");
            }
            List<String> ids = ids(given, "HR-GROUP-012", "give sub-group '" + name + "' at least one");
            for (String id : ids) {
                String other = placed.putIfAbsent(id, name);
                if (other != null) {
                    throw new ConfigurationException("HR-GROUP-013", "student " + id + " is in sub-groups '" + other + "' and '" + name
                            + "': put each student in exactly one");
                }
            }
            out.put(name, ids);
        }
        return out;
    }

    /** The sub-groups hold exactly the section's students now. */
    static void coversSection(String sectionId, List<String> students, Map<String, List<String>> parts) {
        Set<String> section = new HashSet<>(students);
        List<String> given = parts.values().stream().flatMap(List::stream).toList();
        List<String> foreign = given.stream().filter(id -> !section.contains(id)).toList();
        if (!foreign.isEmpty()) {
            throw new ConfigurationException("HR-GROUP-013", "not a student of section " + sectionId + ": " + listed(foreign)
                    + " (a split holds only the section's students)");
        }
        Set<String> placed = new HashSet<>(given);
        List<String> left = students.stream().filter(id -> !placed.contains(id)).toList();
        if (!left.isEmpty()) {
            throw new ConfigurationException("HR-GROUP-013", left.size() + " students of section " + sectionId + " are in no sub-group: "
                    + listed(left) + " (put each student of the section in exactly one)");
        }
    }

    private static String listed(List<String> ids) {
        return String.join(", ", ids.subList(0, Math.min(LISTED, ids.size()))) + (ids.size() > LISTED ? " and " + (ids.size() - LISTED) + " more" : "");
    }
}
