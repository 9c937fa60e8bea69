package dev.homeroom.engine;

import java.util.List;
import org.apiguardian.api.API;

/**
 * One page of a run's warnings and handled errors; {@code next} is the cursor of the following page (pass it as
 * {@code after}), or 0 when this page is the last.
 */
@API(status = API.Status.EXPERIMENTAL)
public record IssuePage(List<DataIssue> issues, int next) {
    public IssuePage {
        issues = List.copyOf(issues);
    }
}
