package dev.ganeval.core.weights;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Resolves one torch-hub-named file into a cache folder and prints the source and hash: {@code <url> <cache folder>}. */
public final class ResolveInAnotherProcess {
    private ResolveInAnotherProcess() {
    }

    public static void main(String[] args) {
        WeightsFile file = WeightsFile.hubNamed(URI.create(args[0]), null);
        ResolvedWeights r = WeightsResolver.builder().env(Map.of()).cacheDir(Path.of(args[1])).build().resolve(file);
        System.out.println(r.source() + " " + r.sha256());
    }
}
