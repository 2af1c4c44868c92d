package dev.ganeval.core.weights;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web host on 127.0.0.1 and a free port, for one test: paths answered by handlers, requests counted per path.
 * Handlers run on a pool of their own, so one that stalls does not hold up the others; {@link #close()} releases
 * the stalled ones.
 */
final class FakeHost implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-host");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);

    FakeHost() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.start();
    }

    /** Answers {@code path} with {@code handler}, counting the requests. */
    FakeHost serve(String path, HttpHandler handler) {
        AtomicInteger count = hits.computeIfAbsent(path, p -> new AtomicInteger());
        server.createContext(path, exchange -> {
            count.incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            }
        });
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    int port() {
        return server.getAddress().getPort();
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** Blocks a handler until the test ends. */
    void stall() {
        try {
            released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    /** Sends {@code body} whole, with its length. */
    static HttpHandler bytes(byte[] body) {
        return exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /** Sends {@code body} with its length in {@code pieces} parts, {@code pauseMs} apart: a slow download. */
    static HttpHandler slowly(byte[] body, int pieces, long pauseMs) {
        return exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            int step = (body.length + pieces - 1) / pieces;
            for (int off = 0; off < body.length; off += step) {
                out.write(body, off, Math.min(step, body.length - off));
                out.flush();
                pause(pauseMs);
            }
            out.close();
        };
    }

    /** Answers with {@code status} and {@code Location: location}. */
    static HttpHandler redirect(int status, String location) {
        return exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(status, -1);
        };
    }

    /** Answers with {@code status} and a short text body. */
    static HttpHandler status(int status) {
        return exchange -> {
            byte[] text = ("status " + status).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status, text.length);
            exchange.getResponseBody().write(text);
        };
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
