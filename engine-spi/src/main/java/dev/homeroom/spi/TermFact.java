package dev.homeroom.spi;

import org.apiguardian.api.API;

/** What the rules see about one term: the record, how many shared sections point at it, and its change. */
@API(status = API.Status.STABLE)
public record TermFact(String districtId, Term term, Change change, Outcome previousOutcome, int sectionCount) {
    public String id() {
        return term.id();
    }

    public boolean isGone() {
        return change == Change.GONE;
    }
}
