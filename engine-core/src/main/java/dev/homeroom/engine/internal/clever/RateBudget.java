package dev.homeroom.engine.internal.clever;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps requests under Clever's per-token budget (1200 a minute, reset each minute): remembers
 * {@code X-RateLimit-Remaining}/{@code X-RateLimit-Reset} from every response and, when the remainder falls to the
 * reserve, waits for the reset before sending the next request, so 429s stay rare.
 */
final class RateBudget implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RateBudget.class);

    private final int reserve;
    private final Duration maxWait;
    private final Sleeper sleeper;
    private final Clock clock;
    private long remaining = -1;
    private long resetEpochSecond = -1;

    RateBudget(int reserve, Duration maxWait, Sleeper sleeper, Clock clock) {
        this.reserve = reserve;
        this.maxWait = maxWait;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Duration pause = pauseBeforeNext();
        if (!pause.isZero()) {
            LOG.info("HR-CLEVER-BUDGET: {} requests left in this rate-limit window; waiting {} ms for the reset",
                    remainingNow(), pause.toMillis());
            FetchCounters counters = chain.request().tag(FetchCounters.class);
            if (counters != null) {
                counters.budgetPauses++;
            }
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the Clever rate-limit reset");
            }
            clear();
        }
        Response response = chain.proceed(chain.request());
        record(response.header("X-RateLimit-Remaining"), response.header("X-RateLimit-Reset"));
        return response;
    }

    synchronized Duration pauseBeforeNext() {
        if (remaining < 0 || remaining > reserve || resetEpochSecond < 0) {
            return Duration.ZERO;
        }
        Duration wait = Duration.between(clock.instant(), Instant.ofEpochSecond(resetEpochSecond));
        if (wait.isNegative() || wait.isZero()) {
            return Duration.ZERO;
        }
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    private synchronized long remainingNow() {
        return remaining;
    }

    synchronized void record(String remainingHeader, String resetHeader) {
        Long r = parseLong(remainingHeader);
        Long reset = parseLong(resetHeader);
        if (r != null) {
            remaining = r;
        }
        if (reset != null) {
            resetEpochSecond = reset;
        }
    }

    /** Forgets the window, e.g. after a 429 wait already waited for the reset. */
    synchronized void clear() {
        remaining = -1;
        resetEpochSecond = -1;
    }

    static Long parseLong(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
