package dev.homeroom.admin.internal;

import dev.homeroom.engine.Explanation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The provisioned values of an explanation as rows, each saying whether a person edited it (P6, P10). */
public final class ExplainView {
    private ExplainView() {}

    public record Value(String account, String field, String value, boolean edited) {}

    static List<Value> provisioned(Explanation e) {
        List<Value> out = new ArrayList<>();
        if (e.provisioned() == null) {
            return out;
        }
        Object accounts = e.provisioned().get("accounts");
        if (accounts instanceof List<?> list) {
            for (Object a : list) {
                if (a instanceof Map<?, ?> m) {
                    add(out, String.valueOf(m.get("role")), m);
                }
            }
        } else {
            add(out, null, e.provisioned());
        }
        return out;
    }

    private static void add(List<Value> out, String account, Map<?, ?> values) {
        values.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (key.endsWith("_edited") || key.endsWith("Edited") || "accounts".equals(key)) {
                return;
            }
            boolean edited = Boolean.TRUE.equals(values.get(key + "_edited")) || Boolean.TRUE.equals(values.get(key + "Edited"));
            out.add(new Value(account, key, v == null ? "" : String.valueOf(v), edited));
        });
    }
}
