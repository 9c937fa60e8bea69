package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.homeroom.testkit.internal.DistrictModel;
import dev.homeroom.testkit.internal.EventFeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A deterministic synthetic Clever district in one state (revision). Records are generated from
 * the spec's seed and their index whenever they are asked for, so a district of a million
 * students costs nothing until pages are served. Same spec and revision: same bytes.
 *
 * <p>{@link #next()} is the same district one SIS sync later: some students removed, renamed or
 * with a new email, one new student per school, the classless-dob students gain a dob, and (first
 * step only) a section renamed, a staff member removed, and the spring term deleted and re-created
 * under a new id. The simulator's {@code /events} feed is the difference between the states.
 */
@API(status = EXPERIMENTAL)
public final class SyntheticDistrict {

    private final DistrictSpec spec;
    private final DistrictModel model;
    private volatile EventFeed events;

    private SyntheticDistrict(DistrictSpec spec, int revision) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.model = new DistrictModel(spec, revision);
    }

    public static SyntheticDistrict of(DistrictSpec spec) {
        return new SyntheticDistrict(spec, 0);
    }

    /** The demo district ({@link DistrictSpec#demo()}): 300 students, 3 schools, seed 42. */
    public static SyntheticDistrict demo() {
        return of(DistrictSpec.demo());
    }

    public DistrictSpec spec() {
        return spec;
    }

    /** 0 for the initial state; {@link #next()} adds one. */
    public int revision() {
        return model.revision();
    }

    /** The same district one sync later. */
    public SyntheticDistrict next() {
        return new SyntheticDistrict(spec, model.revision() + 1);
    }

    /** The state before this one, if any. */
    public Optional<SyntheticDistrict> previous() {
        return revision() == 0 ? Optional.empty() : Optional.of(atRevision(revision() - 1));
    }

    public SyntheticDistrict atRevision(int revision) {
        return new SyntheticDistrict(spec, revision);
    }

    /** The Clever id of the district. */
    public String districtId() {
        return model.districtId();
    }

    /** Exact numbers of records served per kind in this state. */
    public DistrictCounts counts() {
        return model.counts();
    }

    /** Each quirk with the Clever ids that carry it in this state (sorted; see {@link Quirk#exhaustive()}). */
    public Map<Quirk, List<String>> quirks() {
        return model.quirks();
    }

    /** Ids carrying one quirk. */
    public List<String> idsWith(Quirk quirk) {
        return quirks().get(quirk);
    }

    /** What changed since {@link #previous()}: empty lists at revision 0. */
    public Map<Change, List<String>> changes() {
        return model.changes();
    }

    /** The record with this Clever id exactly as the simulator serves it (inner {@code data}), if it exists in this state. */
    public Optional<ObjectNode> record(String cleverId) {
        long key = model.keyOf(cleverId);
        if (key < 0 || DistrictModel.kindOf(key) == 0x30) return Optional.empty();
        return model.record(key);
    }

    /** The kind of record an id names: {@code districts, schools, terms, courses, sections, users}, or empty. */
    public Optional<String> kindOf(String cleverId) {
        long key = model.keyOf(cleverId);
        if (key < 0) return Optional.empty();
        try {
            return Optional.of(DistrictModel.collection(DistrictModel.kindOf(key)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Number of events the simulator's feed holds in this state (all steps since revision 0). */
    public int eventCount() {
        return eventFeed().size();
    }

    /** All events since revision 0, in feed order, as event objects ({@code id, type, created, data}). For small districts. */
    public List<ObjectNode> events() {
        EventFeed feed = eventFeed();
        List<ObjectNode> out = new ArrayList<>(feed.size());
        for (long key : feed.source(Set.of(), null).after(Long.MIN_VALUE, feed.size())) out.add(feed.render(key));
        return out;
    }

    DistrictModel model() {
        return model;
    }

    EventFeed eventFeed() {
        EventFeed f = events;
        if (f == null) {
            synchronized (this) {
                if (events == null) events = new EventFeed(model);
                f = events;
            }
        }
        return f;
    }

    @Override
    public String toString() {
        return "SyntheticDistrict[" + spec + ", revision=" + revision() + "]";
    }

}
