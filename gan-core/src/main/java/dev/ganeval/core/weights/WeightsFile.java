package dev.ganeval.core.weights;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A published weights file: where it is published, the name it is kept under, the SHA-256 it must have, and the
 * environment variable a user sets to the path of a copy they already have.
 *
 * <p>{@code sha256} is either the full SHA-256 (64 hex digits) or, when only that is known, its first digits (at least
 * 8), as torch hub writes them into a file's name: {@code pt_inception-2015-12-05-6726825d.pth} must have a SHA-256
 * starting {@code 6726825d} ({@link #hubNamed}). Eight digits are 32 bits: enough to catch a truncated, damaged or
 * different file, not a forgery made to match. It is empty for a file whose publisher gives no hash at all
 * ({@link #unhashed}): any content is accepted, and only the download's length check and the loader's own checks
 * stand between a damaged file and its use; users of such files record the SHA-256 computed here instead.
 *
 * @param name     the file's published name, used as its name in the cache (no folder part)
 * @param url      where it is downloaded from, {@code http} or {@code https}
 * @param sha256   the full SHA-256 or its first 8 or more hex digits, lower case; empty when none is published
 * @param variable the environment variable naming a local copy ({@code GANEVAL_INCEPTION_WEIGHTS}), or null for none
 */
public record WeightsFile(String name, URI url, String sha256, String variable) {
    // Before the constant below, which needs them when the class is initialised.
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{8,64}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * pytorch-fid's FID Inception v3 state dict (about 95 MB; GitHub release {@code fid_weights}), also the weights of
     * torch-fidelity's {@code weights-inception-2015-12-05-6726825d.pth}. Only the hash prefix in its name is known.
     */
    public static final WeightsFile PYTORCH_FID_INCEPTION = hubNamed(URI.create(
            "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth"),
            "GANEVAL_INCEPTION_WEIGHTS");

    public WeightsFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
        if (name.isBlank() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a weights file name must be a plain file name: '" + name + "'");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("a weights URL must be an http or https URL with a host: " + url);
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!sha256.isEmpty() && !HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("expected SHA-256 must be 8 to 64 hex digits, or empty when none is published: '" + sha256 + "'");
        }
        if (variable != null && !VARIABLE.matcher(variable).matches()) {
            throw new IllegalArgumentException("not an environment variable name: '" + variable + "'");
        }
    }

    /** A file known by its full SHA-256 (64 hex digits). */
    public static WeightsFile withSha256(String name, URI url, String sha256, String variable) {
        if (sha256.length() != 64) {
            throw new IllegalArgumentException("a full SHA-256 has 64 hex digits, not " + sha256.length() + ": " + sha256);
        }
        return new WeightsFile(name, url, sha256, variable);
    }

    /** A file whose publisher gives no SHA-256 (DINOv2's, for one): named by the URL's last path segment. */
    public static WeightsFile unhashed(URI url, String variable) {
        String path = Objects.requireNonNull(url, "url").getPath();
        return new WeightsFile(path == null ? "" : path.substring(path.lastIndexOf('/') + 1), url, "", variable);
    }

    /** A file named the torch hub way, its name the URL's last path segment: the hash prefix is read from the name. */
    public static WeightsFile hubNamed(URI url, String variable) {
        String path = Objects.requireNonNull(url, "url").getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return hubNamed(name, url, variable);
    }

    /** A file named the torch hub way: the hash prefix is read from {@code name} ({@link #hubHashPrefix}). */
    public static WeightsFile hubNamed(String name, URI url, String variable) {
        return new WeightsFile(name, url, hubHashPrefix(name), variable);
    }

    /**
     * The SHA-256 prefix in a torch hub file name: the hex digits after the last {@code -} and before the extension
     * ({@code 6726825d} in {@code pt_inception-2015-12-05-6726825d.pth}).
     *
     * @throws IllegalArgumentException if the name carries no such prefix of at least 8 digits
     */
    public static String hubHashPrefix(String name) {
        Objects.requireNonNull(name, "name");
        int dash = name.lastIndexOf('-');
        int dot = name.indexOf('.', dash + 1);
        String digits = dash < 0 ? "" : name.substring(dash + 1, dot < 0 ? name.length() : dot);
        if (!HEX.matcher(digits).matches()) {
            throw new IllegalArgumentException("'" + name + "' carries no SHA-256 prefix the torch hub way "
                    + "(name-<8 or more hex digits>.ext)");
        }
        return digits;
    }

    /** True when the full SHA-256 is known, not only its first digits. */
    public boolean fullHashKnown() {
        return sha256.length() == 64;
    }

    /** True when a SHA-256, whole or in part, is published for this file: false for {@link #unhashed} files. */
    public boolean hashPublished() {
        return !sha256.isEmpty();
    }

    /**
     * True when {@code actualSha256} (64 hex digits, either case) is, or starts with, the expected hash; for a file
     * with no published hash, any SHA-256.
     */
    public boolean matches(String actualSha256) {
        return actualSha256 != null && actualSha256.length() == 64
                && actualSha256.toLowerCase(Locale.ROOT).startsWith(sha256);
    }

    /** The expected hash in words: {@code SHA-256 6726…} or {@code a SHA-256 starting 6726825d}. */
    public String expectedHash() {
        return !hashPublished() ? "no published SHA-256" : fullHashKnown() ? "SHA-256 " + sha256 : "a SHA-256 starting " + sha256;
    }
}
