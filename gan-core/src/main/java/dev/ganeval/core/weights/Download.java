package dev.ganeval.core.weights;

import dev.ganeval.core.Progress;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP(S) GET streamed into a file, hashed on the way. Redirects are followed here (at most
 * {@value #MAX_REDIRECTS}, never from https to http) so that each hop's proxy comes from the proxy selector and an
 * error names the URL that failed. Connect and read time-outs are the socket's: a server that sends nothing for the
 * read time-out ends the download, however long the whole file takes.
 */
final class Download {
    static final int MAX_REDIRECTS = 10;
    private static final int BUFFER = 1 << 16;

    /** What went wrong, in words that name the URL; the caller adds the fix. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean worthRetrying;

        Failure(String message, Throwable cause) {
            this(message, cause, true);
        }

        Failure(String message, Throwable cause, boolean worthRetrying) {
            super(message, cause);
            this.worthRetrying = worthRetrying;
        }

        /** False when the server said the request itself is wrong (HTTP 4xx): the same request fails again. */
        boolean worthRetrying() {
            return worthRetrying;
        }
    }

    private final Duration connectTimeout;
    private final Duration readTimeout;
    /** Null: {@link ProxySelector#getDefault()} at each request, so {@code -Dhttps.proxyHost} set late still counts. */
    private final ProxySelector proxies;
    private final Progress progress;

    Download(Duration connectTimeout, Duration readTimeout, ProxySelector proxies, Progress progress) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.proxies = proxies;
        this.progress = progress;
    }

    /**
     * Downloads {@code url} into {@code out} (an existing file, overwritten) and returns the SHA-256 of what was
     * written, as 64 lower-case hex digits. The file is forced to the disk before this returns.
     */
    String fetch(URI url, Path out) throws Failure {
        return fetch(url, out, false);
    }

    /**
     * As {@link #fetch(URI, Path)}; with {@code requireLength}, a server that does not say how long the body is is
     * refused (for a file with no published hash, the length is the only check that the whole body arrived).
     */
    String fetch(URI url, Path out, boolean requireLength) throws Failure {
        URI current = url;
        for (int hops = 0; ; hops++) {
            HttpURLConnection c = connect(current);
            try {
                int status = status(c, current);
                if (status >= 300 && status < 400 && status != 304) {
                    URI next = redirect(c, current, status);
                    if (hops == MAX_REDIRECTS) {
                        throw new Failure(url + ": more than " + MAX_REDIRECTS + " redirects (the last to " + next + ")", null);
                    }
                    current = next;
                    continue;
                }
                if (status != HttpURLConnection.HTTP_OK) {
                    String text = reason(c);
                    boolean passing = status >= 500 || status == 408 || status == 429;
                    throw new Failure(current + " answered HTTP " + status + (text.isBlank() ? "" : " " + text)
                            + (current.equals(url) ? "" : " (redirected from " + url + ")"), null, passing);
                }
                if (requireLength && c.getContentLengthLong() < 0) {
                    throw new Failure(current + " sent the file without its length, and with no published hash to check "
                            + "it against either, a body cut short could not be told from the whole", null);
                }
                return stream(c, current, out);
            } finally {
                c.disconnect();
            }
        }
    }

    private HttpURLConnection connect(URI uri) throws Failure {
        Proxy proxy = proxyFor(uri);
        String via = proxy.type() == Proxy.Type.DIRECT
                ? " (no proxy: set -Dhttps.proxyHost and -Dhttps.proxyPort if one is needed)"
                : " (through the proxy " + proxy.address() + ")";
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection(proxy);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout(millis(connectTimeout));
            c.setReadTimeout(millis(readTimeout));
            c.setRequestProperty("User-Agent", "ganeval");
            c.setRequestProperty("Accept-Encoding", "identity");
            c.connect();
            return c;
        } catch (UnknownHostException e) {
            throw new Failure(uri + ": unknown host " + uri.getHost() + " (no network or no DNS?)" + via, e);
        } catch (SocketTimeoutException | ConnectException e) {
            if (proxy.address() != null && selector() != null) {
                selector().connectFailed(uri, proxy.address(), e);
            }
            String what = e instanceof SocketTimeoutException
                    ? "no connection within " + connectTimeout.toMillis() + " ms (connect time-out)"
                    : "cannot connect: " + e.getMessage();
            throw new Failure(uri + ": " + what + via, e);
        } catch (IOException e) {
            throw new Failure(uri + ": " + e + via, e);
        }
    }

    private int status(HttpURLConnection c, URI uri) throws Failure {
        try {
            return c.getResponseCode();
        } catch (SocketTimeoutException e) {
            throw new Failure(uri + ": no answer within " + readTimeout.toMillis() + " ms (read time-out)", e);
        } catch (IOException e) {
            throw new Failure(uri + ": no HTTP answer: " + e, e);
        }
    }

    /** The status line's reason phrase, or nothing; read after the status, so no new I/O error is expected. */
    private static String reason(HttpURLConnection c) {
        try {
            String text = c.getResponseMessage();
            return text == null ? "" : text;
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static URI redirect(HttpURLConnection c, URI from, int status) throws Failure {
        String location = c.getHeaderField("Location");
        if (location == null || location.isBlank()) {
            throw new Failure(from + " answered HTTP " + status + " with no Location to follow", null);
        }
        URI next;
        try {
            next = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new Failure(from + " redirects to an invalid URL: " + location, e);
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && from.getScheme().equalsIgnoreCase("http"))) {
            throw new Failure(from + " redirects to " + next + ": only http(s) redirects are followed, never https to http", null);
        }
        return next;
    }

    private String stream(HttpURLConnection c, URI uri, Path out) throws Failure {
        long total = c.getContentLengthLong();
        String of = total >= 0 ? " of " + total : "";
        MessageDigest sha = newSha256();
        byte[] buf = new byte[BUFFER];
        ByteBuffer wrapped = ByteBuffer.wrap(buf);
        long done = 0;
        progress.update(0, total);
        InputStream in;
        try {
            in = c.getInputStream();
        } catch (IOException e) {
            throw new Failure(uri + ": no body: " + e, e);
        }
        try (in; FileChannel file = FileChannel.open(out, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    throw new Failure(uri + ": no data for " + readTimeout.toMillis() + " ms (read time-out) after " + done
                            + of + " bytes: the server stalled", e);
                } catch (IOException e) {
                    throw new Failure(uri + ": the connection broke after " + done + of + " bytes (" + e + ")", e);
                }
                if (n < 0) {
                    break;
                }
                sha.update(buf, 0, n);
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    file.write(wrapped);
                }
                done += n;
                progress.update(done, total);
            }
            if (total >= 0 && done != total) {
                throw new Failure(uri + ": the connection closed after " + done + of + " bytes", null);
            }
            file.force(true);
        } catch (IOException e) {
            throw new Failure("cannot write " + out + " (downloading " + uri + "): " + e, e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private Proxy proxyFor(URI uri) {
        ProxySelector s = selector();
        List<Proxy> list = s == null ? null : s.select(uri);
        return list == null || list.isEmpty() ? Proxy.NO_PROXY : list.get(0);
    }

    private ProxySelector selector() {
        return proxies != null ? proxies : ProxySelector.getDefault();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
