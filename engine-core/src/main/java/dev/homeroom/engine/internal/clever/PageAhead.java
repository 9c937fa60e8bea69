package dev.homeroom.engine.internal.clever;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import okhttp3.HttpUrl;

/**
 * The next page of a collection, fetched on a helper thread while the caller delivers the current one. At most one
 * page is read ahead, so at most one request is in flight, and the pages come in the order Clever links them. What the
 * read ahead throws is thrown by {@link #take}, where a fetch without read-ahead would have thrown it.
 */
final class PageAhead<T> implements AutoCloseable {
    private ExecutorService executor;
    private HttpUrl url;
    private CompletableFuture<T> page;

    /** Starts fetching {@code next}; a page started before and not taken is dropped. */
    void start(HttpUrl next, Supplier<T> fetch) {
        cancel();
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "homeroom-clever-page-ahead");
                t.setDaemon(true);
                return t;
            });
        }
        url = next;
        page = CompletableFuture.supplyAsync(fetch, executor);
    }

    /** The page at {@code wanted}: the one read ahead when it is that page, else fetched now on this thread. */
    T take(HttpUrl wanted, Supplier<T> fetch) {
        if (page == null || !wanted.equals(url)) {
            cancel();
            return fetch.get();
        }
        CompletableFuture<T> started = page;
        page = null;
        url = null;
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void cancel() {
        if (page != null) {
            page.cancel(true);
            page = null;
            url = null;
        }
    }

    @Override
    public void close() {
        cancel();
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
