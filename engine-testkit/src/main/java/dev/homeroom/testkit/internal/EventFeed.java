package dev.homeroom.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Clever's {@code /events} feed from revision 0 up to a district state: each revision step's
 * candidate records are diffed between the two states and become created / updated / deleted
 * events. Only small descriptors are kept; event JSON is rendered on demand.
 */
public final class EventFeed {

    private static final int CREATED = 0;
    private static final int UPDATED = 1;
    private static final int DELETED = 2;
    private static final String[] VERB = {"created", "updated", "deleted"};

    private final DistrictModel[] states; // states[r] = revision r
    private final long[] keys;
    private final byte[] types;
    private final int[] steps;
    private final int[] stepStart;

    public EventFeed(DistrictModel current) {
        int rev = current.revision();
        states = new DistrictModel[rev + 1];
        for (int r = 0; r <= rev; r++) states[r] = r == rev ? current : new DistrictModel(current.spec(), r);
        List<long[]> rows = new ArrayList<>();
        stepStart = new int[rev + 2];
        for (int r = 1; r <= rev; r++) {
            stepStart[r] = rows.size();
            DistrictModel before = states[r - 1];
            DistrictModel after = states[r];
            List<long[]> step = new ArrayList<>();
            for (long key : after.candidatesOfStep(r)) {
                boolean was = before.exists(key);
                boolean is = after.exists(key);
                int type;
                if (!was && is) type = CREATED;
                else if (was && !is) type = DELETED;
                else if (was && previousAttributes(before.render(key), after.render(key)).size() > 0) type = UPDATED;
                else continue;
                step.add(new long[] {phase(DistrictModel.kindOf(key), type), key, type});
            }
            step.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            for (long[] e : step) rows.add(new long[] {e[1], e[2], r});
        }
        stepStart[rev + 1] = rows.size();
        keys = new long[rows.size()];
        types = new byte[rows.size()];
        steps = new int[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            keys[k] = rows.get(k)[0];
            types[k] = (byte) rows.get(k)[1];
            steps[k] = (int) rows.get(k)[2];
        }
    }

    /** Order inside one step: new terms and users before the sections that use them; deletions last. */
    private static int phase(int kind, int type) {
        boolean user = DistrictModel.isUser(kind);
        boolean section = kind == DistrictModel.SECTION;
        return switch (type) {
            case CREATED -> user ? 1 : section ? 2 : 0;
            case UPDATED -> section ? 3 : 4;
            default -> user ? 5 : section ? 6 : 7;
        };
    }

    public int size() {
        return keys.length;
    }

    /** Events whose record kind is one of {@code recordTypes} (collection names; empty = all) and touch the school (null = any). */
    public KeySource source(Set<String> recordTypes, String schoolId) {
        return new KeySource.Segments().add(DistrictModel.EVENT, 0, keys.length, pos -> matches((int) pos, recordTypes, schoolId));
    }

    private boolean matches(int pos, Set<String> recordTypes, String schoolId) {
        int kind = DistrictModel.kindOf(keys[pos]);
        if (!recordTypes.isEmpty() && !recordTypes.contains(DistrictModel.collection(kind))) return false;
        if (schoolId == null) return true;
        DistrictModel m = types[pos] == DELETED ? states[steps[pos] - 1] : states[steps[pos]];
        long sc = m.keyOf(schoolId);
        if (sc < 0 || DistrictModel.kindOf(sc) != DistrictModel.SCHOOL) return false;
        long i = DistrictModel.indexOf(keys[pos]);
        if (kind == DistrictModel.SECTION) return i / m.M == DistrictModel.indexOf(sc);
        if (kind == DistrictModel.SCHOOL) return i == DistrictModel.indexOf(sc);
        if (DistrictModel.isUser(kind)) {
            for (int s : m.userSchools(kind, i)) if (s == DistrictModel.indexOf(sc)) return true;
        }
        return false;
    }

    public boolean exists(long eventKey) {
        return DistrictModel.kindOf(eventKey) == DistrictModel.EVENT && DistrictModel.indexOf(eventKey) < keys.length;
    }

    /** The event object (the inner {@code data} of a list item). */
    public ObjectNode render(long eventKey) {
        int pos = (int) DistrictModel.indexOf(eventKey);
        int step = steps[pos];
        DistrictModel before = states[step - 1];
        DistrictModel after = states[step];
        long key = keys[pos];
        ObjectNode e = DistrictModel.F.objectNode();
        e.put("id", after.id(eventKey));
        e.put("type", DistrictModel.collection(DistrictModel.kindOf(key)) + "." + VERB[types[pos]]);
        e.put("created", DistrictModel.ts(DistrictModel.stepEpoch(step) + 3600 + (pos - stepStart[step]) / 100));
        ObjectNode data = e.putObject("data");
        if (types[pos] == DELETED) {
            data.set("object", before.render(key));
        } else {
            ObjectNode now = after.render(key);
            data.set("object", now);
            if (types[pos] == UPDATED) data.set("previous_attributes", previousAttributes(before.render(key), now));
        }
        return e;
    }

    /** Clever's sparse nested diff: changed keys with their old values (null when the key is new); arrays whole. */
    public static ObjectNode previousAttributes(ObjectNode old, ObjectNode now) {
        ObjectNode out = DistrictModel.F.objectNode();
        Set<String> names = new LinkedHashSet<>();
        old.fieldNames().forEachRemaining(names::add);
        now.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode a = old.get(name);
            JsonNode b = now.get(name);
            if (Objects.equals(a, b)) continue;
            if (a instanceof ObjectNode ao && b instanceof ObjectNode bo) {
                ObjectNode sub = previousAttributes(ao, bo);
                if (sub.size() > 0) out.set(name, sub);
            } else {
                out.set(name, a == null ? NullNode.getInstance() : a.deepCopy());
            }
        }
        return out;
    }

    /** Keys of the records behind the events, for tests. */
    long[] recordKeys() {
        return Arrays.copyOf(keys, keys.length);
    }
}
