package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * A fault plan: which requests (counted from 1 in arrival order, every request counts, faulted or
 * not) get which {@link Fault}. Two ways, combinable: "the Nth request gets F" and "each request
 * gets one of these faults with probability p", decided by a hash of (seed, request number) so the
 * same sequence of requests meets the same faults. {@link Builder#maxRandomFaults} bounds the
 * random ones. Immutable apart from the random-fault counter, which {@link #reset()} clears.
 */
@API(status = EXPERIMENTAL)
public final class Faults {

    private static final Faults NONE = builder().build();

    private final Map<Long, Fault> nth;
    private final double probability;
    private final long seed;
    private final List<Fault> randomFaults;
    private final int maxRandomFaults;
    private final Duration slowDelay;
    private final Duration dripInterval;
    private final java.net.URI redirectTo;
    private final String pathPrefix;
    private final AtomicInteger randomSoFar = new AtomicInteger();

    private Faults(Builder b) {
        this.nth = Map.copyOf(b.nth);
        this.probability = b.probability;
        this.seed = b.seed;
        this.randomFaults = List.copyOf(b.randomFaults);
        this.maxRandomFaults = b.maxRandomFaults;
        this.slowDelay = b.slowDelay;
        this.dripInterval = b.dripInterval;
        this.redirectTo = b.redirectTo;
        this.pathPrefix = b.pathPrefix;
    }

    public static Faults none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Shorthand: request {@code n} (1-based) gets {@code fault}, the others none. */
    public static Faults nth(long n, Fault fault) {
        return builder().nth(n, fault).build();
    }

    /** The id of the record {@link Fault#POISON_RECORD} splices into a page. */
    public static final String POISON_RECORD_ID = "0badbadbadbadbadbadbad00";

    public Duration slowDelay() {
        return slowDelay;
    }

    /** How long {@link Fault#SLOW_DRIP} waits between the bytes of a body. */
    public Duration dripInterval() {
        return dripInterval;
    }

    /** The origin {@link Fault#REDIRECT} sends clients to, or null when none was set. */
    public java.net.URI redirectTo() {
        return redirectTo;
    }

    /** The fault for request number {@code n} (1-based) on {@code path}, if any. Called once per request by the simulator. */
    public Optional<Fault> forRequest(long n, String path) {
        Fault f = nth.get(n);
        if (f != null) return Optional.of(f);
        if (probability <= 0 || randomFaults.isEmpty()) return Optional.empty();
        if (pathPrefix != null && (path == null || !path.startsWith(pathPrefix))) return Optional.empty();
        long h = mix(seed * 0x9E3779B97F4A7C15L + n);
        double u = (h >>> 11) * 0x1.0p-53;
        if (u >= probability) return Optional.empty();
        if (randomSoFar.incrementAndGet() > maxRandomFaults) return Optional.empty();
        return Optional.of(randomFaults.get((int) Long.remainderUnsigned(mix(h), randomFaults.size())));
    }

    /** Forget how many random faults were injected (for re-using one plan). */
    public void reset() {
        randomSoFar.set(0);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "Faults[nth=" + new TreeMap<>(nth) + ", p=" + probability + ", seed=" + seed + ", random=" + randomFaults
                + ", maxRandom=" + maxRandomFaults + ", slow=" + slowDelay + ", drip=" + dripInterval
                + (redirectTo == null ? "" : ", redirectTo=" + redirectTo) + (pathPrefix == null ? "" : ", path=" + pathPrefix) + "]";
    }

    /** Builds a {@link Faults} plan. */
    @API(status = EXPERIMENTAL)
    public static final class Builder {
        private final Map<Long, Fault> nth = new TreeMap<>();
        private double probability;
        private long seed;
        private List<Fault> randomFaults = List.of();
        private int maxRandomFaults = Integer.MAX_VALUE;
        private Duration slowDelay = Duration.ofMillis(500);
        private Duration dripInterval = Duration.ofSeconds(20);
        private java.net.URI redirectTo;
        private String pathPrefix;

        private Builder() {}

        /** Request number {@code n} (1-based, every request counted) gets {@code fault}. */
        public Builder nth(long n, Fault fault) {
            if (n < 1) throw new IllegalArgumentException("request numbers start at 1, was " + n);
            nth.put(n, Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /** Each request (not planned by {@link #nth}) gets one of {@code faults} with probability {@code p}, from {@code seed}. */
        public Builder random(double p, long seed, Fault... faults) {
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability must be in [0,1], was " + p);
            if (faults.length == 0) throw new IllegalArgumentException("name at least one fault for random injection");
            this.probability = p;
            this.seed = seed;
            this.randomFaults = List.of(faults);
            return this;
        }

        /** At most this many random faults in total (the nth plan is not bounded). */
        public Builder maxRandomFaults(int max) {
            if (max < 0) throw new IllegalArgumentException("maxRandomFaults must be >= 0, was " + max);
            this.maxRandomFaults = max;
            return this;
        }

        /** Only requests whose path starts with this (e.g. {@code /v3.0/users}) get random faults. */
        public Builder randomOnlyUnder(String pathPrefix) {
            this.pathPrefix = Objects.requireNonNull(pathPrefix, "pathPrefix");
            return this;
        }

        /** How long {@link Fault#SLOW} waits before answering. */
        public Builder slowDelay(Duration delay) {
            if (delay.isNegative()) throw new IllegalArgumentException("slowDelay must not be negative");
            this.slowDelay = delay;
            return this;
        }

        /** How long {@link Fault#SLOW_DRIP} waits between bytes (default 20 s). */
        public Builder dripInterval(Duration interval) {
            if (interval.isNegative()) throw new IllegalArgumentException("dripInterval must not be negative");
            this.dripInterval = interval;
            return this;
        }

        /** The origin {@link Fault#REDIRECT} points to, e.g. another simulator's {@code baseUrl()}. */
        public Builder redirectTo(java.net.URI origin) {
            this.redirectTo = Objects.requireNonNull(origin, "origin");
            return this;
        }

        public Faults build() {
            if (redirectTo == null && (nth.containsValue(Fault.REDIRECT) || randomFaults.contains(Fault.REDIRECT))) {
                throw new IllegalArgumentException("Fault.REDIRECT needs redirectTo(origin)");
            }
            return new Faults(this);
        }
    }
}
