package dev.ganeval.core.torch;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Feeds damaged copies of the fixtures to the reader: every prefix of small files, and bit flips, overwritten bytes,
 * inserted and deleted bytes and cuts in all of them. Each read must end in a state dict (a flip in tensor data, or in
 * a name, leaves a valid file) or a {@link CheckpointException}: never another exception, never more than a few
 * seconds, never an allocation sized by what the damaged file claims (the bytes each read allocates are measured).
 */
class TorchCheckpointFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** Far above what a few-KB file can legitimately need (64 MiB of expanded views at most), far below a lie. */
    private static final long ALLOCATION_LIMIT = 160L << 20;
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final Path SCRATCH;

    static {
        try {
            SCRATCH = Files.createTempDirectory("torch-fuzz");
            SCRATCH.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> fixtures() {
        try (Stream<Path> s = Files.list(TorchCheckpointTest.TORCH)) {
            return s.filter(p -> p.toString().endsWith(".pt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "read" or "refused"; anything else fails the test, naming the damage. */
    static String outcome(byte[] content, String damage) {
        Path p = SCRATCH.resolve("fuzz-" + COUNTER.incrementAndGet() + ".pt");
        try {
            Files.write(p, content);
            return assertTimeoutPreemptively(LIMIT, () -> {
                com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long before = mx.getCurrentThreadAllocatedBytes();
                String result;
                try {
                    TorchCheckpoint.read(p);
                    result = "read";
                } catch (CheckpointException e) {
                    result = "refused";
                } catch (Throwable t) {
                    throw new AssertionError(damage + ": " + t, t);
                }
                long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < ALLOCATION_LIMIT, damage + ": allocated " + allocated + " bytes");
                return result;
            }, damage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // the scratch folder is deleted on exit
            }
        }
    }

    @Test
    void everyProperPrefixOfASmallCheckpointIsRefused() throws IOException {
        for (String name : List.of("scalars_legacy.pt", "storage_view_legacy.pt", "scalars_zip.pt")) {
            byte[] whole = Files.readAllBytes(TorchCheckpointTest.TORCH.resolve(name));
            assertEquals("read", outcome(whole, name + " whole"));
            for (int n = 0; n < whole.length; n++) {
                assertEquals("refused", outcome(Arrays.copyOf(whole, n), name + " cut to " + n + " bytes"));
            }
        }
    }

    @Provide
    Arbitrary<Integer> fixture() {
        return Arbitraries.integers().between(0, fixtures().size() - 1);
    }

    @Property(tries = 2500)
    void damagedCheckpointsReadOrEndInCheckpointException(@ForAll("fixture") int which, @ForAll long seed)
            throws IOException {
        Path source = fixtures().get(which);
        byte[] b = Files.readAllBytes(source);
        Random r = new Random(seed);
        int kind = r.nextInt(5);
        StringBuilder damage = new StringBuilder(source.getFileName() + " (seed " + seed + "):");
        switch (kind) {
            case 0 -> { // flip 1 to 4 bits
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    int at = r.nextInt(b.length);
                    int bit = r.nextInt(8);
                    b[at] ^= (byte) (1 << bit);
                    damage.append(" flip bit ").append(bit).append(" of byte ").append(at);
                }
            }
            case 1 -> { // overwrite a byte with a value that often means something to a length or an opcode
                int at = r.nextInt(b.length);
                int[] values = {0x00, 0xff, 0x7f, 0x80, 0x01, r.nextInt(256)};
                b[at] = (byte) values[r.nextInt(values.length)];
                damage.append(" byte ").append(at).append(" := ").append(b[at] & 0xff);
            }
            case 2 -> { // insert a byte
                int at = r.nextInt(b.length + 1);
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) r.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
                damage.append(" insert ").append(c[at] & 0xff).append(" at ").append(at);
            }
            case 3 -> { // delete a byte
                int at = r.nextInt(b.length);
                byte[] c = new byte[b.length - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                b = c;
                damage.append(" delete byte ").append(at);
            }
            default -> { // cut, then flip one bit before the cut
                int n = r.nextInt(b.length);
                b = Arrays.copyOf(b, n);
                damage.append(" cut to ").append(n);
                if (n > 0) {
                    int at = r.nextInt(n);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    damage.append(", flip in byte ").append(at);
                }
            }
        }
        String result = outcome(b, damage.toString());
        Statistics.label("damage").collect(kind);
        Statistics.label("outcome").collect(result);
        if (kind == 4 && result.equals("read")) {
            fail(damage + ": a cut file was read");
        }
    }
}
