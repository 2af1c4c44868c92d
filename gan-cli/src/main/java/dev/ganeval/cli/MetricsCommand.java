package dev.ganeval.cli;

import dev.ganeval.metrics.evaluation.Json;
import dev.ganeval.metrics.evaluation.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Lists the registered metrics: what each computes, what it needs, and its settings with their defaults. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "List the metrics 'score --metrics' takes, what each needs and the settings '--set METRIC.KEY=VALUE' takes.")
final class MetricsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Object> all = new ArrayList<>();
        for (Metrics.Entry e : Metrics.entries()) {
            Map<String, Object> settings = Metrics.settingsOf(e.name());
            List<String> needs = Metrics.create(e.name(), Map.of(), 0).inputs().stream()
                    .map(i -> i.name().toLowerCase(Locale.ROOT)).toList();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("metric", e.name());
                m.put("description", e.description());
                m.put("needs", needs);
                m.put("settings", settings);
                all.add(m);
                continue;
            }
            out.printf(Locale.ROOT, "%-22s %s%n", e.name(), e.description());
            out.printf(Locale.ROOT, "%-22s needs: %s%n", "", String.join(", ", needs));
            if (!settings.isEmpty()) {
                List<String> parts = new ArrayList<>();
                settings.forEach((k, v) -> parts.add(k + "=" + (v instanceof double[] a ? Arrays.toString(a) : v)));
                out.printf(Locale.ROOT, "%-22s settings: %s%n", "", String.join("; ", parts));
            }
        }
        if (json) {
            out.println(Json.write(all));
        }
        return 0;
    }
}
