package dev.homeroom.engine.internal;

import dev.homeroom.spi.RecordKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sections and users a run changed in some respect, for the statements that follow them (memberships, derived
 * values); past {@value SyncPipeline#CHANGED_BEFORE_WHOLE_DISTRICT} ids the whole district is cheaper, and the scope
 * says so.
 */
final class ChangeScope {
    private Set<String> sections = new HashSet<>();
    private Set<String> users = new HashSet<>();
    /** The sections added by {@link #add}: changed otherwise than by their enrollments alone. */
    private Set<String> wholeSections = new HashSet<>();
    /** (section, user) whose enrollment rows came or went; null once too many to check one by one. */
    private Set<List<String>> members = new HashSet<>();

    void add(RecordKind kind, java.util.Collection<String> ids) {
        if (kind != RecordKind.SECTION && kind != RecordKind.USER || sections == null || ids.isEmpty()) {
            return;
        }
        (kind == RecordKind.SECTION ? sections : users).addAll(ids);
        if (kind == RecordKind.SECTION) {
            wholeSections.addAll(ids);
        }
        bound();
    }

    /** Sections whose enrollments changed, and the (section, user) whose enrollment rows came or went there. */
    void addEnrollments(dev.homeroom.store.ShadowStore.EnrollmentChanges changes) {
        if (sections == null || changes.sections().isEmpty()) {
            return;
        }
        sections.addAll(changes.sections());
        if (members != null && members.size() + changes.members().size() <= SyncPipeline.CHANGED_BEFORE_WHOLE_DISTRICT) {
            members.addAll(changes.members());
        } else {
            members = null; // too many to check one by one: every member of the changed sections is checked
        }
        bound();
    }

    private void bound() {
        if (sections.size() + users.size() > SyncPipeline.CHANGED_BEFORE_WHOLE_DISTRICT) {
            sections = null;
            users = null;
            wholeSections = null;
            members = null;
        }
    }

    boolean wholeDistrict() {
        return sections == null;
    }

    /** Every section that changed, by its enrollments or otherwise (what derived values follow). */
    Set<String> sections() {
        return sections;
    }

    /** The sections whose every membership is checked: all but those whose enrollments alone changed. */
    Set<String> checkedSections() {
        return members == null ? sections : wholeSections;
    }

    /** The (section, user) whose memberships are checked beside {@link #checkedSections} and {@link #users}. */
    Set<List<String>> members() {
        return members == null ? Set.of() : members;
    }

    Set<String> users() {
        return users;
    }
}
