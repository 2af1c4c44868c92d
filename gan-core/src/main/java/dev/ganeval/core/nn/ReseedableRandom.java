package dev.ganeval.core.nn;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A random generator that can be restarted from a seed at any point. Layers hold one (dropout masks) and the
 * trainer reseeds it from {@code (seed, epoch)} at every epoch start, so an epoch's randomness depends only on
 * the seed and the epoch number — which is what lets a run resumed from a checkpoint continue exactly as an
 * uninterrupted one.
 */
public final class ReseedableRandom implements RandomGenerator {
    private SplittableRandom delegate;

    public ReseedableRandom(long seed) {
        this.delegate = new SplittableRandom(seed);
    }

    public void reseed(long seed) {
        this.delegate = new SplittableRandom(seed);
    }

    @Override
    public long nextLong() {
        return delegate.nextLong();
    }

    @Override
    public int nextInt() {
        return delegate.nextInt();
    }

    @Override
    public double nextDouble() {
        return delegate.nextDouble();
    }

    @Override
    public float nextFloat() {
        return (delegate.nextInt() >>> 8) * 0x1.0p-24f;
    }
}
