package dev.homeroom.testkit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * An ascending sequence of record keys ({@code kind << 32 | index}) that pages can be cut from
 * without materialising it: Clever's range paging only needs "the next n after key k".
 */
public interface KeySource {

    /** Up to {@code limit} keys strictly greater than {@code after}, ascending. */
    long[] after(long after, int limit);

    /** Up to {@code limit} keys strictly smaller than {@code before} (the closest ones), ascending. */
    long[] before(long before, int limit);

    default boolean anyAfter(long key) {
        return after(key, 1).length > 0;
    }

    default boolean anyBefore(long key) {
        return before(key, 1).length > 0;
    }

    static long key(int kind, long index) {
        return ((long) kind << 32) | index;
    }

    static KeySource of(long... sortedKeys) {
        return new Sorted(sortedKeys);
    }

    /** Keys listed explicitly (sorted here). */
    final class Sorted implements KeySource {
        private final long[] keys;

        Sorted(long[] keys) {
            this.keys = keys.clone();
            Arrays.sort(this.keys);
        }

        @Override
        public long[] after(long after, int limit) {
            int i = Arrays.binarySearch(keys, after);
            int from = i >= 0 ? i + 1 : -i - 1;
            return Arrays.copyOfRange(keys, from, Math.min(keys.length, from + limit));
        }

        @Override
        public long[] before(long before, int limit) {
            int i = Arrays.binarySearch(keys, before);
            int to = i >= 0 ? i : -i - 1;
            return Arrays.copyOfRange(keys, Math.max(0, to - limit), to);
        }
    }

    /** Index ranges of record kinds filtered by a predicate on the index; ranges are sorted and disjoint. */
    final class Segments implements KeySource {
        private record Segment(int kind, long from, long to, LongPredicate keep) {
            long firstKey() { return key(kind, from); }
            long endKey() { return key(kind, to); }
        }

        private final List<Segment> segments = new ArrayList<>();

        public Segments add(int kind, long from, long to, LongPredicate keep) {
            if (to > from) {
                Segment s = new Segment(kind, from, to, keep);
                if (!segments.isEmpty() && segments.get(segments.size() - 1).endKey() > s.firstKey()) {
                    // keep them sorted: callers add per kind, occasionally out of order
                    segments.add(s);
                    segments.sort((a, b) -> Long.compare(a.firstKey(), b.firstKey()));
                } else {
                    segments.add(s);
                }
            }
            return this;
        }

        @Override
        public long[] after(long after, int limit) {
            long[] out = new long[Math.min(limit, 1024)];
            int n = 0;
            for (Segment s : segments) {
                if (after >= s.endKey() - 1) continue;
                long start = after < s.firstKey() ? s.from : after - key(s.kind, 0) + 1;
                for (long i = start; i < s.to && n < limit; i++) {
                    if (s.keep.test(i)) {
                        if (n == out.length) out = Arrays.copyOf(out, Math.min(limit, out.length * 2));
                        out[n++] = key(s.kind, i);
                    }
                }
                if (n >= limit) break;
            }
            return Arrays.copyOf(out, n);
        }

        @Override
        public long[] before(long before, int limit) {
            long[] out = new long[Math.min(limit, 1024)];
            int n = 0;
            for (int k = segments.size() - 1; k >= 0 && n < limit; k--) {
                Segment s = segments.get(k);
                if (before <= s.firstKey()) continue;
                long end = before >= s.endKey() ? s.to : before - key(s.kind, 0);
                for (long i = end - 1; i >= s.from && n < limit; i--) {
                    if (s.keep.test(i)) {
                        if (n == out.length) out = Arrays.copyOf(out, Math.min(limit, out.length * 2));
                        out[n++] = key(s.kind, i);
                    }
                }
            }
            long[] res = Arrays.copyOf(out, n);
            for (int a = 0, b = n - 1; a < b; a++, b--) {
                long t = res[a];
                res[a] = res[b];
                res[b] = t;
            }
            return res;
        }
    }
}
