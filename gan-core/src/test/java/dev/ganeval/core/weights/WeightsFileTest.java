package dev.ganeval.core.weights;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The description of a published weights file: its name, URL and expected hash. */
class WeightsFileTest {
    private static final URI URL = URI.create("https://example.org/w/model-0123abcd.pth");

    @Test
    void theFidInceptionIsKnownByTheHashInItsName() {
        WeightsFile inception = WeightsFile.PYTORCH_FID_INCEPTION;
        assertEquals("pt_inception-2015-12-05-6726825d.pth", inception.name());
        assertEquals("6726825d", inception.sha256());
        assertFalse(inception.fullHashKnown());
        assertEquals("GANEVAL_INCEPTION_WEIGHTS", inception.variable());
        assertEquals("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth",
                inception.url().toString());
        assertTrue(inception.matches("6726825D" + "0".repeat(56)));
        assertFalse(inception.matches("6726825e" + "0".repeat(56)));
        assertFalse(inception.matches("6726825d"), "a hash, not a prefix, is matched");
        assertThrows(IllegalArgumentException.class, () -> WeightsFile.hubHashPrefix("inception.pth"));
        assertThrows(IllegalArgumentException.class, () -> WeightsFile.hubHashPrefix("inception-v3.pth"));
        assertEquals("0123abcd", WeightsFile.hubHashPrefix("a-b-0123abcd.tar.gz"));
        assertThrows(IllegalArgumentException.class, () -> WeightsFile.withSha256("x.pth", inception.url(), "6726825d", null));
    }

    @Test
    void theNameIsTheUrlsLastSegmentAndMustBeAPlainFileName() {
        assertEquals("model-0123abcd.pth", WeightsFile.hubNamed(URL, null).name());
        assertThrows(IllegalArgumentException.class, () -> WeightsFile.hubNamed("../model-0123abcd.pth", URL, null));
        assertThrows(IllegalArgumentException.class, () -> WeightsFile.hubNamed(URI.create("ftp://example.org/m-0123abcd.pth"), null));
        assertThrows(IllegalArgumentException.class, () -> WeightsFile.hubNamed(URL, "NOT A VARIABLE"));
    }

    @Test
    void aFullHashMustMatchWhole() {
        String full = "ab".repeat(32);
        WeightsFile f = WeightsFile.withSha256("model.pth", URL, full.toUpperCase(), null);
        assertTrue(f.fullHashKnown());
        assertEquals("SHA-256 " + full, f.expectedHash());
        assertTrue(f.matches(full));
        assertFalse(f.matches("ab".repeat(31) + "ac"));
    }
}
