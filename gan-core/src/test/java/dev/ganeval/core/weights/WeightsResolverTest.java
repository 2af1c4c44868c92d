package dev.ganeval.core.weights;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Getting a published weights file: from a file the user names, from the cache, or downloaded from a web host on
 * 127.0.0.1 that each test starts, which serves a small fake "published" file named the torch hub way.
 */
class WeightsResolverTest {
    private static final String VARIABLE = "GANEVAL_TEST_WEIGHTS";

    @TempDir
    Path tmp;

    private FakeHost host;
    private byte[] body;
    private String sha;
    private String name;
    private String path;
    private WeightsFile file;
    private Path cache;

    @BeforeEach
    void publish() throws IOException {
        body = new byte[200_000];
        new Random(7).nextBytes(body);
        sha = WeightsResolver.hashIfPresent(write(tmp.resolve("original"), body)).orElseThrow();
        name = "fake-net-2024-" + sha.substring(0, 8) + ".pth";
        path = "/releases/download/v1/" + name;
        host = new FakeHost();
        file = WeightsFile.hubNamed(host.uri(path), VARIABLE);
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    private WeightsResolver.Builder resolver() {
        return WeightsResolver.builder().env(Map.of()).cacheDir(cache).readTimeout(Duration.ofSeconds(10));
    }

    private static Path write(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.write(p, bytes);
    }

    /** What the cache folder holds, lock files aside. */
    private Set<String> cacheEntries() throws IOException {
        if (!Files.isDirectory(cache)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).collect(Collectors.toSet());
        }
    }

    private void assertFails(WeightsResolver r, String... said) throws IOException {
        WeightsException e = assertThrows(WeightsException.class, () -> r.resolve(file));
        for (String s : said) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        assertEquals(Set.of(), cacheEntries(), "a failed download left files in the cache");
    }

    @Test
    void firstUseDownloadsIntoTheCacheAndTheSecondUsesIt() throws IOException {
        host.serve(path, FakeHost.bytes(body));
        List<long[]> progress = Collections.synchronizedList(new ArrayList<>());
        WeightsResolver r = resolver().progress((done, total) -> progress.add(new long[] {done, total})).build();

        ResolvedWeights first = r.resolve(file);
        assertEquals(ResolvedWeights.Source.DOWNLOADED, first.source());
        assertEquals(cache.resolve(name), first.path());
        assertArrayEquals(body, Files.readAllBytes(first.path()));
        assertEquals(sha, first.sha256());
        assertTrue(first.published());
        assertTrue(first.warning().isEmpty());
        assertEquals(Set.of(name), cacheEntries());
        long[] last = progress.get(progress.size() - 1);
        assertArrayEquals(new long[] {body.length, body.length}, last);
        for (int i = 1; i < progress.size(); i++) {
            assertEquals(body.length, progress.get(i)[1]);
            assertTrue(progress.get(i)[0] >= progress.get(i - 1)[0], "progress went back");
        }

        ResolvedWeights second = r.resolve(file);
        assertEquals(ResolvedWeights.Source.CACHE, second.source());
        assertEquals(first.path(), second.path());
        assertEquals(1, host.hits(path), "the second use downloaded again");
    }

    @Test
    void notFoundLeavesNoCacheEntryAndSaysHowToFetchByHand() throws IOException {
        host.serve(path, FakeHost.status(404));
        assertFails(resolver().build(), "HTTP 404", file.url().toString(), "by hand", cache.resolve(name).toString(), VARIABLE);
    }

    @Test
    void aBodyCutShortIsRefused() throws IOException {
        host.serve(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            throw new IOException("the host goes away");    // the server closes the connection
        });
        assertFails(resolver().build(), file.url().toString(), "of " + body.length + " bytes");
    }

    @Test
    void aFileWithTheWrongHashIsRefused() throws IOException {
        byte[] other = body.clone();
        other[12345] ^= 1;
        host.serve(path, FakeHost.bytes(other));
        assertFails(resolver().build(), file.url().toString(), "not a SHA-256 starting " + sha.substring(0, 8), "by hand");
    }

    @Test
    void aServerThatStallsMidwayFailsAfterTheReadTimeout() throws IOException {
        host.serve(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body, 0, 1000);
            exchange.getResponseBody().flush();
            host.stall();
        });
        WeightsResolver r = resolver().readTimeout(Duration.ofMillis(300)).build();
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertFails(r, file.url().toString(),
                "no data for 300 ms (read time-out) after 1000 of " + body.length + " bytes"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "took too long to give up");
    }

    @Test
    void aServerThatNeverAnswersFailsAfterTheReadTimeout() throws IOException {
        host.serve(path, exchange -> host.stall());
        WeightsResolver r = resolver().readTimeout(Duration.ofMillis(300)).build();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertFails(r, file.url().toString(),
                "no answer within 300 ms (read time-out)"));
    }

    @Test
    void redirectsAreFollowed() throws IOException {
        host.serve("/first", FakeHost.redirect(302, host.uri("/second").toString()));   // absolute, as GitHub sends
        host.serve("/second", FakeHost.redirect(307, "/assets/" + name));                // relative
        host.serve("/assets/" + name, FakeHost.bytes(body));
        WeightsFile moved = WeightsFile.hubNamed(name, host.uri("/first"), VARIABLE);

        ResolvedWeights r = resolver().build().resolve(moved);
        assertArrayEquals(body, Files.readAllBytes(r.path()));
        assertEquals(List.of(1, 1, 1), List.of(host.hits("/first"), host.hits("/second"), host.hits("/assets/" + name)));
    }

    @Test
    void aHostThatRefusesConnectionsIsNamed() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        file = WeightsFile.hubNamed(URI.create("http://127.0.0.1:" + closed + path), VARIABLE);
        assertFails(resolver().build(), file.url().toString(), "cannot connect", "by hand");
    }

    @Test
    void tooManyRedirectsAreRefused() throws IOException {
        host.serve(path, FakeHost.redirect(302, path));
        assertFails(resolver().build(), "more than " + Download.MAX_REDIRECTS + " redirects");
    }

    @Test
    void twoThreadsStartingAtOnceDownloadOnce() throws Exception {
        host.serve(path, FakeHost.slowly(body, 10, 30));
        CountDownLatch go = new CountDownLatch(1);
        Callable<ResolvedWeights> use = () -> {
            go.await();
            return resolver().build().resolve(file);
        };
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<ResolvedWeights> a = two.submit(use);
            Future<ResolvedWeights> b = two.submit(use);
            go.countDown();
            Set<ResolvedWeights.Source> sources = Set.of(a.get(20, TimeUnit.SECONDS).source(), b.get(20, TimeUnit.SECONDS).source());
            assertEquals(Set.of(ResolvedWeights.Source.DOWNLOADED, ResolvedWeights.Source.CACHE), sources);
        } finally {
            two.shutdownNow();
        }
        assertEquals(1, host.hits(path));
        assertArrayEquals(body, Files.readAllBytes(cache.resolve(name)));
        assertEquals(Set.of(name), cacheEntries());
    }

    @Test
    void twoProcessesStartingAtOnceDownloadOnce() throws Exception {
        host.serve(path, FakeHost.slowly(body, 20, 50));
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    ResolveInAnotherProcess.class.getName(), file.url().toString(), cache.toString())
                    .redirectErrorStream(true).start());
        }
        List<String> said = new ArrayList<>();
        for (Process p : processes) {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the other JVM did not finish");
            assertEquals(0, p.exitValue(), out);
            said.add(out.substring(out.lastIndexOf('\n') + 1));
        }
        assertEquals(Set.of("DOWNLOADED " + sha, "CACHE " + sha), Set.copyOf(said));
        assertEquals(1, host.hits(path));
        assertArrayEquals(body, Files.readAllBytes(cache.resolve(name)));
        assertEquals(Set.of(name), cacheEntries());
    }

    @Test
    void offlineWithAnEmptyCacheRefusesWithWhatToFetchAndWhere() throws IOException {
        host.serve(path, FakeHost.bytes(body));
        String[] instructions = {file.url().toString(), cache.resolve(name).toString(), VARIABLE, "downloads are off"};
        assertFails(resolver().env(Map.of("GANEVAL_OFFLINE", "1")).build(), instructions);
        assertFails(resolver().offline(true).build(), instructions);
        assertEquals(0, host.hits(path));
        assertFalse(resolver().env(Map.of("GANEVAL_OFFLINE", "0")).build().offline());
    }

    @Test
    void offlineUsesAVerifiedCachedFile() throws IOException {
        write(cache.resolve(name), body);
        ResolvedWeights r = resolver().offline(true).build().resolve(file);
        assertEquals(ResolvedWeights.Source.CACHE, r.source());
        assertTrue(r.published());
    }

    @Test
    void aDamagedCacheEntryIsNotTrustedAndIsReplaced() throws IOException {
        host.serve(path, FakeHost.bytes(body));
        write(cache.resolve(name), "not the weights".getBytes(StandardCharsets.US_ASCII));
        write(cache.resolve(name + ".123456.part"), new byte[10]);    // left by a killed download

        WeightsException offline = assertThrows(WeightsException.class, () -> resolver().offline(true).build().resolve(file));
        assertTrue(offline.getMessage().contains("the cached copy has SHA-256"), offline.getMessage());

        ResolvedWeights r = resolver().build().resolve(file);
        assertEquals(ResolvedWeights.Source.DOWNLOADED, r.source());
        assertArrayEquals(body, Files.readAllBytes(cache.resolve(name)));
        assertEquals(Set.of(name), cacheEntries(), "the left-over part file is still there");
    }

    @Test
    void aGivenFileWithTheWrongHashIsUsedWithAWarning() throws IOException {
        Path mine = write(tmp.resolve("mine.pth"), "fine-tuned weights".getBytes(StandardCharsets.US_ASCII));
        ResolvedWeights r = resolver().build().resolve(file, mine);
        assertEquals(mine, r.path());
        assertEquals(ResolvedWeights.Source.GIVEN, r.source());
        assertFalse(r.published());
        assertTrue(r.warning().orElseThrow().contains("not comparable with published"), r.warning().toString());
        assertEquals(0, host.hits(path));
        assertEquals(Set.of(), cacheEntries());
    }

    @Test
    void aFileInTheVariableIsUsedAndAGoodOneCountsAsPublished() throws IOException {
        Path copy = write(tmp.resolve("copy.pth"), body);
        ResolvedWeights r = resolver().env(Map.of(VARIABLE, copy.toString(), "GANEVAL_OFFLINE", "1")).build().resolve(file);
        assertEquals(copy, r.path());
        assertEquals(ResolvedWeights.Source.VARIABLE, r.source());
        assertTrue(r.published());
        assertTrue(r.warning().isEmpty());
    }

    @Test
    void aMissingGivenFileIsAnErrorNamingIt() {
        Path missing = tmp.resolve("nowhere.pth");
        WeightsException given = assertThrows(WeightsException.class, () -> resolver().build().resolve(file, missing));
        assertEquals(missing, given.file().orElseThrow());
        WeightsException named = assertThrows(WeightsException.class,
                () -> resolver().env(Map.of(VARIABLE, missing.toString())).build().resolve(file));
        assertTrue(named.getMessage().contains(missing.toString()) && named.getMessage().contains(VARIABLE), named.getMessage());
        assertEquals(0, host.hits(path));
    }

    @Test
    void theCacheFollowsXdgCacheHome() throws IOException {
        Path home = Path.of("/home/someone");
        Path xdg = tmp.resolve("xdg").toAbsolutePath();
        assertEquals(xdg.resolve("ganeval"), WeightsResolver.defaultCacheDir(Map.of("XDG_CACHE_HOME", xdg.toString()), home));
        assertEquals(home.resolve(".cache/ganeval"), WeightsResolver.defaultCacheDir(Map.of(), home));
        assertEquals(home.resolve(".cache/ganeval"), WeightsResolver.defaultCacheDir(Map.of("XDG_CACHE_HOME", "rel/cache"), home),
                "a relative XDG_CACHE_HOME is ignored");
        assertEquals(home.resolve(".cache/ganeval"), WeightsResolver.defaultCacheDir(Map.of("XDG_CACHE_HOME", " "), home));

        host.serve(path, FakeHost.bytes(body));
        WeightsResolver r = WeightsResolver.builder().env(Map.of("XDG_CACHE_HOME", xdg.toString())).build();
        assertEquals(xdg.resolve("ganeval"), r.cacheDir());
        assertEquals(xdg.resolve("ganeval").resolve(name), r.resolve(file).path());
    }

    @Test
    void theProxySelectorIsAsked() throws IOException {
        host.serve(path, FakeHost.bytes(body));
        URI far = URI.create("http://weights.invalid" + path);     // resolvable by no one: only the proxy can fetch it
        List<URI> asked = Collections.synchronizedList(new ArrayList<>());
        ProxySelector proxy = new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", host.port())));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        };
        ResolvedWeights r = resolver().proxySelector(proxy).build().resolve(WeightsFile.hubNamed(far, null));
        assertArrayEquals(body, Files.readAllBytes(r.path()));
        assertEquals(List.of(far), asked);
    }

    @Test
    void aFileWithNoPublishedHashIsDownloadedCheckedForLengthAndReusedWhateverItsHash() throws IOException {
        // DINOv2's checkpoints: the publisher gives no hash, so any content is taken, but a cut-short body still is not.
        WeightsFile unhashed = WeightsFile.unhashed(host.uri("/dinov2/net_pretrain.pth"), VARIABLE);
        assertFalse(unhashed.hashPublished());
        assertEquals("net_pretrain.pth", unhashed.name());
        assertEquals("no published SHA-256", unhashed.expectedHash());
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        host.serve("/dinov2/net_pretrain.pth", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            if (requests.getAndIncrement() > 0) {
                exchange.getResponseBody().write(body);
                exchange.close();
                return;
            }
            exchange.getResponseBody().write(body, 0, 1000);     // the first answer is cut short
            exchange.getResponseBody().flush();
            throw new IOException("the host goes away");
        });
        WeightsException cut = assertThrows(WeightsException.class, () -> resolver().build().resolve(unhashed));
        assertTrue(cut.getMessage().contains("of " + body.length + " bytes"), cut.getMessage());
        assertEquals(Set.of(), cacheEntries());
        ResolvedWeights first = resolver().build().resolve(unhashed);
        assertEquals(ResolvedWeights.Source.DOWNLOADED, first.source());
        assertEquals(sha, first.sha256());
        assertTrue(first.warning().isEmpty());
        ResolvedWeights again = resolver().offline(true).build().resolve(unhashed);
        assertEquals(ResolvedWeights.Source.CACHE, again.source());
        assertEquals(sha, again.sha256());
        // Without a length there is no telling a cut body from a whole one: refused, nothing cached.
        WeightsFile unsized = WeightsFile.unhashed(host.uri("/dinov2/unsized_pretrain.pth"), VARIABLE);
        host.serve("/dinov2/unsized_pretrain.pth", exchange -> {
            exchange.sendResponseHeaders(200, 0);   // chunked: no Content-Length
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        WeightsException noLength = assertThrows(WeightsException.class, () -> resolver().build().resolve(unsized));
        assertTrue(noLength.getMessage().contains("without its length"), noLength.getMessage());
        assertFalse(Files.exists(cache.resolve("unsized_pretrain.pth")));
        WeightsException offline = assertThrows(WeightsException.class, () -> WeightsResolver.builder().env(Map.of())
                .cacheDir(tmp.resolve("empty")).offline(true).build().resolve(unhashed));
        assertTrue(offline.getMessage().contains("fetch " + unhashed.url() + " by hand"), offline.getMessage());
    }
}
