package dev.homeroom.engine.internal.clever;

import java.io.IOException;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each request's method, path, status and time; headers only at TRACE, with {@code Authorization} redacted. */
final class RedactingLogInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger("dev.homeroom.engine.clever.http");

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (LOG.isTraceEnabled()) {
            LOG.trace("--> {} {} {}", request.method(), pathOf(request), redact(request.headers()));
        }
        long start = System.nanoTime();
        Response response = chain.proceed(request);
        if (LOG.isDebugEnabled()) {
            LOG.debug("<-- {} {} {} ({} ms)", response.code(), request.method(), pathOf(request),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return response;
    }

    static String pathOf(Request request) {
        String query = request.url().encodedQuery();
        return request.url().encodedPath() + (query == null ? "" : "?" + query);
    }

    static String redact(Headers headers) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            boolean secret = name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Cookie");
            sb.append(i == 0 ? "" : ", ").append(name).append(": ").append(secret ? "██" : headers.value(i));
        }
        return sb.append(']').toString();
    }
}
