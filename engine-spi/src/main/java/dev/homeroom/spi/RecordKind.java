package dev.homeroom.spi;

import org.apiguardian.api.API;

/** The kinds of Clever record the engine syncs, with the path segment Clever uses for each. */
@API(status = API.Status.STABLE)
public enum RecordKind {
    DISTRICT("districts", "district"),
    SCHOOL("schools", "school"),
    TERM("terms", "term"),
    COURSE("courses", "course"),
    SECTION("sections", "section"),
    USER("users", "user");

    private final String path;
    private final String label;

    RecordKind(String path, String label) {
        this.path = path;
        this.label = label;
    }

    /** The collection path under {@code /v3.0/}, also the prefix of event types ({@code users.updated}). */
    public String path() {
        return path;
    }

    /** The model record this kind binds to. */
    public Class<? extends CleverRecord> recordType() {
        return switch (this) {
            case DISTRICT -> District.class;
            case SCHOOL -> School.class;
            case TERM -> Term.class;
            case COURSE -> Course.class;
            case SECTION -> Section.class;
            case USER -> User.class;
        };
    }

    /** The lower-case singular name used in reports and {@code explain}: user, section, term, course, school. */
    public String label() {
        return label;
    }

    public static RecordKind fromPath(String path) {
        for (RecordKind kind : values()) {
            if (kind.path.equals(path)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown Clever record kind: " + path);
    }
}
