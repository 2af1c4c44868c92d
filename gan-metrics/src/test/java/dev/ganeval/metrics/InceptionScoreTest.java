package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InceptionScoreTest {
    @Test
    void matchesImprovedGansDefinitionComputedWithNumpy() {
        Reference ref = Reference.load("inception_score");
        InceptionScoreResult fromProbs = InceptionScore.create().fromProbabilities(ref.matrix("probs"));
        InceptionScoreResult fromLogits = InceptionScore.create().compute(ref.matrix("logits"));
        // probs are stored in float64 but read as float32 features are: compare at float32 precision.
        assertEquals(ref.scalar("mean"), fromProbs.value(), 1e-5 * ref.scalar("mean"));
        assertEquals(ref.scalar("std"), fromProbs.std(), 1e-4 * ref.scalar("std") + 1e-7);
        assertEquals(ref.scalar("mean"), fromLogits.value(), 1e-5 * ref.scalar("mean"));
        assertEquals(10, fromProbs.splitScores().length);
    }

    @Test
    void uniformPredictionsScoreOneAndBalancedOneHotScoresK() {
        int k = 7;
        int n = 70 * 10;
        FloatMatrix uniform = new FloatMatrix(n, k);
        java.util.Arrays.fill(uniform.data(), 1f / k);
        assertEquals(1.0, InceptionScore.create().fromProbabilities(uniform).value(), 1e-6);
        FloatMatrix oneHot = new FloatMatrix(n, k);
        for (int i = 0; i < n; i++) {
            oneHot.set(i, i % k, 1f);
        }
        InceptionScoreResult r = InceptionScore.create().fromProbabilities(oneHot);
        assertEquals(k, r.value(), 1e-9);
        assertEquals(0, r.std(), 1e-9);
    }

    @Test
    void extremeLogitsGiveTheClosedFormNotInfinity() {
        // Logits of an untrained deep network can span thousands: the softmax underflows to subnormals and zeros.
        // Balanced, confidently one-hot predictions score exactly K; identical ones score 1.
        int k = 5;
        int n = 500;
        FloatMatrix balanced = new FloatMatrix(n, k);
        FloatMatrix same = new FloatMatrix(n, k);
        Random rnd = new Random(3);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                float noise = (float) (rnd.nextGaussian() * 50);
                balanced.set(i, j, (j == i % k ? 9000f : -700f) + noise);
                same.set(i, j, (j == 2 ? 9000f : -700f) + noise);
            }
        }
        InceptionScoreResult r = InceptionScore.create().compute(balanced);
        assertEquals(k, r.value(), 1e-9);
        assertEquals(1.0, InceptionScore.create().compute(same).value(), 1e-9);
        // A row with a probability that is a subnormal double (exp(-744)) but not zero.
        FloatMatrix tiny = new FloatMatrix(20, 2);
        for (int i = 0; i < 20; i++) {
            tiny.set(i, 0, 0f);
            tiny.set(i, 1, i % 2 == 0 ? -744f : 0f);
        }
        double v = InceptionScore.create().compute(tiny).value();
        assertTrue(Double.isFinite(v) && v >= 1 && v <= 2, "IS " + v);
    }

    @Test
    void invalidProbabilitiesAreNamed() {
        FloatMatrix p = new FloatMatrix(20, 3);
        java.util.Arrays.fill(p.data(), 0.5f);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InceptionScore.create().fromProbabilities(p));
        assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("sums to 1.5"), e.getMessage());
        FloatMatrix neg = new FloatMatrix(20, 2);
        for (int i = 0; i < 20; i++) {
            neg.set(i, 0, 1.5f);
            neg.set(i, 1, -0.5f);
        }
        assertTrue(assertThrows(InvalidInputException.class, () -> InceptionScore.create().fromProbabilities(neg))
                .getMessage().contains("negative"));
        assertThrows(InvalidInputException.class, () -> InceptionScore.create().fromProbabilities(new FloatMatrix(5, 3)));
        FloatMatrix nan = new FloatMatrix(20, 2);
        nan.set(3, 1, Float.NaN);
        assertThrows(InvalidInputException.class, () -> InceptionScore.create().compute(nan));
    }

    @Property(tries = 40)
    void scoreLiesBetweenOneAndTheClassCount(@ForAll @IntRange(min = 2, max = 30) int k,
                                             @ForAll @IntRange(min = 0, max = 9999) int seed,
                                             @ForAll @IntRange(min = 1, max = 10) int splits) {
        Random rnd = new Random(seed);
        FloatMatrix logits = new FloatMatrix(20 * splits, k);
        double scale = rnd.nextDouble() * 10;
        for (int i = 0; i < logits.data().length; i++) {
            logits.data()[i] = (float) (rnd.nextGaussian() * scale);
        }
        InceptionScoreResult r = InceptionScore.builder().splits(splits).build().compute(logits);
        assertTrue(r.value() >= 1 - 1e-9 && r.value() <= k + 1e-9, "IS " + r.value() + " with " + k + " classes");
        InceptionScoreResult shuffled = InceptionScore.builder().splits(splits).shuffle(seed).build().compute(logits);
        assertTrue(shuffled.value() >= 1 - 1e-9 && shuffled.value() <= k + 1e-9);
        if (splits == 1) {
            assertEquals(r.value(), shuffled.value(), 1e-9, "one split does not depend on row order");
        }
    }
}
