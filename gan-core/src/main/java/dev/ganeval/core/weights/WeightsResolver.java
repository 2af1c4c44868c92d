package dev.ganeval.core.weights;

import dev.ganeval.core.Progress;

import java.io.IOException;
import java.net.ProxySelector;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Finds a published weights file on this machine, downloading it on first use the way pytorch-fid, torch-fidelity and
 * clean-fid do, and checks its SHA-256 every time.
 *
 * <p>In order, {@link #resolve(WeightsFile, Path)} takes:
 * <ol>
 *   <li>the file the caller gives (a command-line option), else the one named by the file's environment variable
 *   ({@link WeightsFile#variable()}): used as it is, whatever its hash; one whose hash is not the published one is
 *   used with a warning, and the result says it is not {@linkplain ResolvedWeights#published() published}, so that
 *   scores made with it can be tagged. A path that does not exist is an error naming it.</li>
 *   <li>the cache: {@code $XDG_CACHE_HOME/ganeval} when that variable holds an absolute path, else
 *   {@code ~/.cache/ganeval} ({@link Builder#cacheDir} overrides both); the file is kept under its published name.
 *   A cached file is trusted only if its hash matches, and <b>the hash is computed again on every use</b> rather than
 *   remembered in a marker: hashing 95 MB takes well under a second, next to minutes of inference, and a file damaged
 *   or edited since it was cached is caught instead of trusted.</li>
 *   <li>a download, unless offline ({@link Builder#offline} or {@code GANEVAL_OFFLINE=1}; offline mode refuses with
 *   the URL to fetch by hand and where to put it). The download follows redirects, honours the connect and read
 *   time-outs and Java's proxy settings ({@link ProxySelector#getDefault()}: {@code -Dhttps.proxyHost} and friends),
 *   reports bytes to a {@link Progress} (total {@code -1} when the server sends no length), writes a temporary
 *   {@code <name>.<random>.part} file in the cache folder while hashing it, checks the hash and length, then
 *   renames it into place atomically. A download that fails in any way leaves no cache entry and no temporary
 *   file.</li>
 * </ol>
 *
 * <p>Concurrent first uses, by threads or by processes, download once: the download and rename run under a lock on
 * {@code <name>.lock} in the cache folder (a {@link FileChannel#lock() file lock}, and a lock per JVM since file locks
 * are held per process), and whoever gets the lock second finds the first one's file and uses it. Under the lock, left
 * over {@code .part} files of the same name (from a killed process) are deleted. Lock files are left in place.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class WeightsResolver {
    /** The environment variable that turns downloads off when {@code 1}, {@code true}, {@code yes} or {@code on}. */
    public static final String OFFLINE_VARIABLE = "GANEVAL_OFFLINE";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger("dev.ganeval.core.weights");
    /** File locks belong to the process: threads of one JVM queue here first, one lock per lock file. */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Map<String, String> env;
    private final Path cacheDir;
    private final boolean offlineFlag;
    private final Download download;

    private WeightsResolver(Builder b) {
        this.env = Map.copyOf(b.env);
        this.cacheDir = b.cacheDir != null ? b.cacheDir : defaultCacheDir(env, Path.of(System.getProperty("user.home")));
        this.offlineFlag = b.offline;
        this.download = new Download(b.connectTimeout, b.readTimeout, b.proxySelector, b.progress);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The cache folder for an environment: {@code $XDG_CACHE_HOME/ganeval} when the variable is an absolute path
     * (the XDG specification ignores a relative one), else {@code <home>/.cache/ganeval}.
     */
    public static Path defaultCacheDir(Map<String, String> env, Path home) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(home, "home");
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            Path p = Path.of(xdg);
            if (p.isAbsolute()) {
                return p.resolve("ganeval");
            }
        }
        return home.resolve(".cache").resolve("ganeval");
    }

    /** The cache folder (it may not exist yet). */
    public Path cacheDir() {
        return cacheDir;
    }

    /** Where the cache keeps {@code file}, whether or not it is there. */
    public Path cachedPath(WeightsFile file) {
        return cacheDir.resolve(file.name());
    }

    /** True when downloads are off: the builder's flag, or {@value #OFFLINE_VARIABLE} set to 1, true, yes or on. */
    public boolean offline() {
        return offlineFlag || offlineByVariable();
    }

    private boolean offlineByVariable() {
        String v = env.get(OFFLINE_VARIABLE);
        return v != null && switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    /** {@link #resolve(WeightsFile, Path)} with no file given: the variable, the cache, or a download. */
    public ResolvedWeights resolve(WeightsFile file) {
        return resolve(file, null);
    }

    /**
     * The local copy of {@code file}: {@code given} if not null, else the file in its environment variable, else the
     * cache, else a download into the cache.
     *
     * @throws WeightsException if {@code given} or the variable's file does not exist or cannot be read, if offline
     *                          and not cached, or if the download fails; the message says how to fetch it by hand
     */
    public ResolvedWeights resolve(WeightsFile file, Path given) {
        Objects.requireNonNull(file, "file");
        if (given != null) {
            return local(file, given, ResolvedWeights.Source.GIVEN, "the weights file given for " + file.name());
        }
        String named = file.variable() == null ? null : env.get(file.variable());
        if (named != null && !named.isBlank()) {
            Path p;
            try {
                p = Path.of(named);
            } catch (InvalidPathException e) {
                throw new WeightsException(null, file.variable() + "='" + named + "' is not a path: " + e.getMessage(), e);
            }
            return local(file, p, ResolvedWeights.Source.VARIABLE, "the file named by " + file.variable());
        }
        Path target = cachedPath(file);
        Optional<String> cached = hashIfPresent(target);
        if (cached.isPresent() && file.matches(cached.get())) {
            return cacheHit(file, target, cached.get());
        }
        if (offline()) {
            throw new WeightsException(target, (cached.isPresent()
                    ? "the cached copy has SHA-256 " + cached.get() + ", not " + file.expectedHash()
                    : file.name() + " is not in the cache") + ", and downloads are off ("
                    + (offlineFlag ? "offline mode" : OFFLINE_VARIABLE + "=" + env.get(OFFLINE_VARIABLE)) + "): "
                    + byHand(file, target));
        }
        if (cached.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, target + " has SHA-256 " + cached.get() + ", not " + file.expectedHash()
                    + ": downloading it again");
        }
        return downloadOnce(file, target);
    }

    private static ResolvedWeights cacheHit(WeightsFile file, Path target, String sha) {
        return new ResolvedWeights(file, target, sha, true, ResolvedWeights.Source.CACHE, Optional.empty());
    }

    /** A file the user named: used whatever its hash, flagged when the hash is not the published one. */
    private static ResolvedWeights local(WeightsFile file, Path p, ResolvedWeights.Source source, String what) {
        if (!Files.exists(p)) {
            throw new WeightsException(p, "no such file (" + what + ")");
        }
        if (!Files.isRegularFile(p)) {
            throw new WeightsException(p, "not a file (" + what + ")");
        }
        String sha = hashIfPresent(p).orElseThrow(() -> new WeightsException(p, "disappeared while being read (" + what + ")"));
        if (file.matches(sha)) {
            return new ResolvedWeights(file, p, sha, true, source, Optional.empty());
        }
        String warning = p + " is used for " + file.name() + " but its SHA-256 is " + sha + ", not " + file.expectedHash()
                + ": results made with it are not comparable with published ones";
        // The result carries the warning and its users report it (an evaluation's report, the CLI's "warning:" line); at
        // WARNING the log printed it a second time, and once more in every Spark executor that opened the file; at INFO
        // java.util.logging still prints it by default.
        LOG.log(System.Logger.Level.DEBUG, warning);
        return new ResolvedWeights(file, p, sha, false, source, Optional.of(warning));
    }

    /** Downloads under the lock, unless someone else finished the download while this one waited for the lock. */
    private ResolvedWeights downloadOnce(WeightsFile file, Path target) {
        Path lockFile;
        try {
            Files.createDirectories(cacheDir);
            lockFile = cacheDir.toRealPath().resolve(file.name() + ".lock");
        } catch (IOException e) {
            throw new WeightsException(cacheDir, "cannot create the cache folder (" + e + "): set XDG_CACHE_HOME to a "
                    + "writable folder, or " + byHand(file, null), e);
        }
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        try {
            inProcess.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeightsException(target, "interrupted while waiting for another download of " + file.url(), e);
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            Optional<String> cached = hashIfPresent(target);    // again: the lock may have been waiting for a download
            if (cached.isPresent() && file.matches(cached.get())) {
                return cacheHit(file, target, cached.get());
            }
            deleteLeftovers(file);
            return fetch(file, target);
        } catch (IOException e) {
            throw new WeightsException(lockFile, "cannot lock the cache for " + file.name() + " (" + e + "): "
                    + byHand(file, target), e);
        } finally {
            inProcess.unlock();
        }
    }

    private ResolvedWeights fetch(WeightsFile file, Path target) {
        Path temp;
        try {
            temp = Files.createTempFile(cacheDir, file.name() + ".", ".part");
        } catch (IOException e) {
            throw new WeightsException(cacheDir, "cannot write in the cache folder (" + e + "): set XDG_CACHE_HOME to a "
                    + "writable folder, or " + byHand(file, null), e);
        }
        try {
            LOG.log(System.Logger.Level.INFO, "downloading " + file.url() + " to " + target);
            String sha;
            try {
                sha = download.fetch(file.url(), temp, !file.hashPublished());
            } catch (Download.Failure f) {
                throw new WeightsException(target, f.getMessage() + (f.worthRetrying() ? "; try again, or " : "; ")
                        + byHand(file, target), f.getCause());
            }
            if (!file.matches(sha)) {
                throw new WeightsException(target, "the file downloaded from " + file.url() + " has SHA-256 " + sha + ", not "
                        + file.expectedHash() + " (changed where it is published, or damaged on the way): try again, or "
                        + byHand(file, target) + " (a file with another hash is used, its results marked as not published)");
            }
            moveIntoPlace(temp, target);
            return new ResolvedWeights(file, target, sha, true, ResolvedWeights.Source.DOWNLOADED, Optional.empty());
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // Same folder, so this is rare; the lock keeps other writers out and readers check the hash anyway.
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new WeightsException(target, "cannot move the downloaded file " + temp + " into place: " + e, e);
        }
    }

    /** {@code .part} files of this name left by a killed download: nobody else writes them while the lock is held. */
    private void deleteLeftovers(WeightsFile file) {
        // Files.createTempFile puts digits between the prefix and the suffix.
        Pattern part = Pattern.compile(Pattern.quote(file.name() + ".") + "[0-9]+" + Pattern.quote(".part"));
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(cacheDir,
                p -> part.matcher(p.getFileName().toString()).matches())) {
            for (Path p : parts) {
                deleteQuietly(p);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + cacheDir + " for left-over downloads: " + e);
        }
    }

    /** Deletes a temporary file; a failure is logged, not thrown, so that it does not hide the error being reported. */
    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the temporary file " + p + ": " + e);
        }
    }

    /** How to do without the download. {@code target} null: the cache folder cannot be used. */
    private static String byHand(WeightsFile file, Path target) {
        String put = target == null ? "" : " and save it as " + target;
        String var = file.variable() == null ? "" : (target == null ? " and set " : ", or set ") + file.variable()
                + " to the path of a copy";
        return "fetch " + file.url() + " by hand" + put + var;
    }

    /** The SHA-256 of a file as 64 lower-case hex digits, or empty when there is no such file. */
    static Optional<String> hashIfPresent(Path p) {
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        MessageDigest sha = Download.newSha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            while (ch.read(buf.clear()) >= 0) {
                sha.update(buf.flip());
            }
        } catch (IOException e) {
            throw new WeightsException(p, "cannot read: " + e, e);
        }
        return Optional.of(HexFormat.of().formatHex(sha.digest()));
    }

    /** Options of a {@link WeightsResolver}. */
    public static final class Builder {
        private Map<String, String> env = System.getenv();
        private Path cacheDir;
        private boolean offline;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private ProxySelector proxySelector;
        private Progress progress = Progress.NONE;

        private Builder() {
        }

        /** The environment read for the variables (default: the process's); tests pass their own. */
        public Builder env(Map<String, String> env) {
            this.env = Objects.requireNonNull(env, "env");
            return this;
        }

        /** The cache folder, instead of {@link #defaultCacheDir}. */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
            return this;
        }

        /** Never download (also on when {@value #OFFLINE_VARIABLE} is set). */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** How long to wait for a connection (default 30 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long the server may send nothing before the download fails (default 60 s). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /** The proxies to use (default: {@link ProxySelector#getDefault()} at the time of each request). */
        public Builder proxySelector(ProxySelector proxySelector) {
            this.proxySelector = Objects.requireNonNull(proxySelector, "proxySelector");
            return this;
        }

        /** Told the bytes downloaded and the total ({@code -1} when unknown) as a download proceeds. */
        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        public WeightsResolver build() {
            return new WeightsResolver(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
                throw new IllegalArgumentException(what + " must be at least 1 ms: " + d);
            }
            return d;
        }
    }
}
