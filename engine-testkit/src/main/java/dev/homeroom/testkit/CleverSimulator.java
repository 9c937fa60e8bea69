package dev.homeroom.testkit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.sun.net.httpserver.HttpServer;
import dev.homeroom.testkit.internal.SimulatorHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clever's Data API v3.0 (and {@code /events}) on loopback HTTP, serving a {@link SyntheticDistrict}
 * with Clever's envelopes, range paging, bearer auth, rate-limit headers and faults on demand.
 * Pages are streamed, so a district of a million students is served from a small heap.
 *
 * <pre>{@code
 * try (CleverSimulator sim = CleverSimulator.builder().district(SyntheticDistrict.demo()).token("T").build().start()) {
 *   URI api = sim.baseUrl().resolve("/v3.0/users?limit=10000");
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL)
public final class CleverSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CleverSimulator.class);

    static {
        // Without TCP_NODELAY the JDK server's small chunked writes meet the client's delayed ACK: ~40 ms per page.
        // Read once by the JDK when its first server starts; set only when nobody chose otherwise.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String token;
    private final int requestedPort;
    private final int threads;
    private final SimulatorHandler handler;
    private volatile SyntheticDistrict district;
    private volatile SimulatorHandler.State state;
    private HttpServer server;
    private ExecutorService executor;

    private CleverSimulator(Builder b) {
        this.token = b.token;
        this.requestedPort = b.port;
        this.threads = b.threads;
        advanceTo(b.district);
        this.handler = new SimulatorHandler(() -> state, b.token, b.faults, b.rateLimit, b.enforceRateLimit);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds 127.0.0.1 and starts serving. Returns this. */
    public synchronized CleverSimulator start() {
        if (server != null) throw new IllegalStateException("simulator already started");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:" + requestedPort + " for the Clever simulator", e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "clever-simulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        LOG.info("Clever simulator serving {} at {}", district, baseUrl());
        return this;
    }

    /** The origin, e.g. {@code http://127.0.0.1:54321}; the API lives under {@code /v3.0/}. */
    public URI baseUrl() {
        if (server == null) throw new IllegalStateException("simulator not started");
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return baseUrl().getPort();
    }

    /** The bearer token the simulator accepts. */
    public String token() {
        return token;
    }

    /** The district state being served. */
    public SyntheticDistrict district() {
        return district;
    }

    /**
     * Serve another state of the district from now on (typically {@code district().next()}); the
     * {@code /events} feed then holds every change since revision 0.
     */
    public void advanceTo(SyntheticDistrict next) {
        Objects.requireNonNull(next, "district");
        SyntheticDistrict d = next;
        this.district = d;
        this.state = new SimulatorHandler.State(d.model(), d::eventFeed);
    }

    /** Requests received so far, faulted ones included. */
    public long requestCount() {
        return handler.requestCount();
    }

    /** Requests answered with a fault so far. */
    public long faultsInjected() {
        return handler.faultsInjected();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    @Override
    public String toString() {
        return "CleverSimulator[" + district + ", token=****]";
    }

    /** Configures a {@link CleverSimulator}. */
    @API(status = EXPERIMENTAL)
    public static final class Builder {
        private SyntheticDistrict district = SyntheticDistrict.demo();
        private String token = "homeroom-test-token";
        private int port = 0;
        private Faults faults = Faults.none();
        private int rateLimit = 1200;
        private boolean enforceRateLimit = false;
        private int threads = 4;

        private Builder() {}

        public Builder district(SyntheticDistrict district) {
            this.district = Objects.requireNonNull(district, "district");
            return this;
        }

        public Builder token(String token) {
            if (token == null || token.isBlank()) throw new IllegalArgumentException("token must not be blank");
            this.token = token;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
            this.port = port;
            return this;
        }

        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** Requests per minute announced in {@code X-RateLimit-Limit} (Clever: 1200). */
        public Builder rateLimit(int perMinute) {
            if (perMinute < 1) throw new IllegalArgumentException("rateLimit must be positive, was " + perMinute);
            this.rateLimit = perMinute;
            return this;
        }

        /** Answer 429 (empty body) once the minute's budget is spent. Off by default: the headers are always sent. */
        public Builder enforceRateLimit(boolean enforce) {
            this.enforceRateLimit = enforce;
            return this;
        }

        /** Worker threads serving requests (default 4). */
        public Builder threads(int threads) {
            if (threads < 1) throw new IllegalArgumentException("threads must be positive, was " + threads);
            this.threads = threads;
            return this;
        }

        public CleverSimulator build() {
            return new CleverSimulator(this);
        }
    }
}
