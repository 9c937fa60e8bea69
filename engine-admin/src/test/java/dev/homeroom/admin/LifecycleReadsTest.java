package dev.homeroom.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homeroom.engine.CustomGroup;
import dev.homeroom.engine.CustomGroups;
import dev.homeroom.engine.GroupMember;
import dev.homeroom.engine.GroupTeacher;
import dev.homeroom.engine.ManualResources;
import dev.homeroom.engine.SyncMode;
import dev.homeroom.engine.TeacherSection;
import dev.homeroom.store.Vendor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The paged reads behind the custom-group and manual-resource pages, on H2 and PostgreSQL: each page as long as asked,
 * the pages together every row once, and the same rows as the unpaged reads.
 */
class LifecycleReadsTest {
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void teachersGroupsAndMembersPage(Vendor vendor) throws Exception {
        try (ConsoleFixture f = new ConsoleFixture(vendor, "", null, null)) {
            f.engine.sync(SyncMode.FULL);
            CustomGroups groups = f.engine.groups();

            List<GroupTeacher> all = groups.teachers(f.districtId, null, null, 500);
            assertThat(all).hasSizeGreaterThan(5).allSatisfy(t -> assertThat(t.districtId()).isEqualTo(f.districtId));
            List<String> paged = new ArrayList<>();
            String after = null;
            while (true) {
                List<GroupTeacher> page = groups.teachers(f.districtId, null, after, 3);
                assertThat(page).hasSizeLessThanOrEqualTo(3);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(t -> paged.add(t.teacherId()));
                after = page.get(page.size() - 1).teacherId();
            }
            assertThat(paged).doesNotHaveDuplicates().containsExactlyElementsOf(all.stream().map(GroupTeacher::teacherId).toList());
            String id = all.get(2).teacherId();
            assertThat(groups.teachers(f.districtId, id.substring(0, id.length() - 1), null, 500)).extracting(GroupTeacher::teacherId)
                    .contains(id).allSatisfy(x -> assertThat(x).startsWith(id.substring(0, id.length() - 1)));
            assertThat(groups.teachers(f.districtId, id, null, 1)).extracting(GroupTeacher::teacherId).containsExactly(id);
            assertThat(groups.teachers("another-district", null, null, 500)).isEmpty();

            // a teacher's sections with their students; groups of theirs, paged
            GroupTeacher teacher = all.stream().filter(t -> t.active() && groups.sections(t.teacherId(), 500).stream()
                    .anyMatch(s -> s.active() && s.students() >= 7)).findFirst().orElseThrow();
            TeacherSection section = groups.sections(teacher.teacherId(), 500).stream().filter(s -> s.active() && s.students() >= 7)
                    .findFirst().orElseThrow();
            for (int i = 0; i < 5; i++) {
                groups.createEmpty(teacher.teacherId(), "g" + i);
            }
            CustomGroup copied = groups.copyFromSection(teacher.teacherId(), section.sectionId(), "copy");
            assertThat(copied.members()).isEqualTo(section.students());
            List<String> pagedGroups = new ArrayList<>();
            for (int offset = 0; ; offset += 2) {
                List<CustomGroup> page = groups.groupsOf(teacher.teacherId(), 2, offset);
                assertThat(page).hasSizeLessThanOrEqualTo(2);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(g -> pagedGroups.add(g.id()));
            }
            assertThat(pagedGroups).containsExactlyElementsOf(groups.groupsOf(teacher.teacherId()).stream().map(CustomGroup::id).toList())
                    .hasSize(6);

            List<GroupMember> members = new ArrayList<>();
            for (int offset = 0; ; offset += 3) {
                var page = groups.group(copied.id(), 3, offset).orElseThrow();
                assertThat(page.group().members()).as("the counts are of every member").isEqualTo(section.students());
                assertThat(page.members()).hasSizeLessThanOrEqualTo(3);
                if (page.members().isEmpty()) {
                    break;
                }
                members.addAll(page.members());
            }
            assertThat(members).extracting(GroupMember::userId).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(groups.group(copied.id()).orElseThrow().members().stream().map(GroupMember::userId).toList());
            assertThat(groups.group("g-unknown", 3, 0)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void manualClassesStudentsAndMembershipsPage(Vendor vendor) throws Exception {
        try (ConsoleFixture f = new ConsoleFixture(vendor, "", null, null)) {
            f.engine.sync(SyncMode.FULL);
            ManualResources manual = f.engine.manual();
            List<String> classIds = new ArrayList<>();
            List<String> studentIds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                classIds.add(manual.createClass(f.districtId, new ManualResources.ClassValues("class " + i, null, null)).id());
                studentIds.add(manual.createStudent(f.districtId, new ManualResources.StudentValues("first " + i, "last " + i, null, null)).id());
            }
            for (String k : classIds.subList(0, 3)) {
                for (String s : studentIds.subList(0, 2)) {
                    manual.join(k, s);
                }
            }

            List<String> classes = new ArrayList<>();
            String after = null;
            while (true) {
                var page = manual.classes(f.districtId, after, 2);
                assertThat(page).hasSizeLessThanOrEqualTo(2);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(k -> classes.add(k.id()));
                after = page.get(page.size() - 1).id();
            }
            assertThat(classes).containsExactlyElementsOf(manual.classes(f.districtId).stream().map(ManualResources.ManualClass::id).toList())
                    .containsExactlyInAnyOrderElementsOf(classIds);

            List<String> students = new ArrayList<>();
            after = null;
            while (true) {
                var page = manual.students(f.districtId, after, 2);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(s -> students.add(s.id()));
                after = page.get(page.size() - 1).id();
            }
            assertThat(students).containsExactlyInAnyOrderElementsOf(studentIds);

            List<String> memberships = new ArrayList<>();
            String afterClass = null;
            String afterStudent = null;
            while (true) {
                var page = manual.memberships(f.districtId, afterClass, afterStudent, 4);
                assertThat(page).hasSizeLessThanOrEqualTo(4);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(m -> memberships.add(m.classId() + "/" + m.studentId()));
                afterClass = page.get(page.size() - 1).classId();
                afterStudent = page.get(page.size() - 1).studentId();
            }
            assertThat(memberships).hasSize(6).containsExactlyElementsOf(manual.memberships(f.districtId).stream()
                    .map(m -> m.classId() + "/" + m.studentId()).toList());

            assertThat(manual.manualClass(f.districtId, classIds.get(1))).hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("class 1"));
            assertThat(manual.manualClass("another-district", classIds.get(1))).isEmpty();
            assertThat(manual.manualStudent(f.districtId, studentIds.get(4))).hasValueSatisfying(s -> assertThat(s.lastName()).isEqualTo("last 4"));
            assertThat(manual.manualStudent(f.districtId, classIds.get(0))).as("a class is not a student").isEmpty();
            String synced = f.engine.groups().teachers(f.districtId, null, null, 1).get(0).teacherId();
            assertThat(manual.manualStudent(f.districtId, synced)).as("a synced account is not a manual student").isEmpty();
        }
    }
}
