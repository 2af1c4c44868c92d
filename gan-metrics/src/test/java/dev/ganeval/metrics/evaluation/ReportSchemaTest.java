package dev.ganeval.metrics.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ganeval.metrics.GaussianStats;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON reports of real evaluations against docs/schema/ganeval.score-2.schema.json. */
class ReportSchemaTest {
    /** The schema file, read from the repository (gan-metrics runs its tests in its own folder). */
    static JsonSchema schema() throws IOException {
        Path file = Path.of("..", "docs", "schema", "ganeval.score-2.schema.json");
        try (InputStream in = Files.newInputStream(file)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static Set<ValidationMessage> problems(String json) throws IOException {
        return schema().validate(new ObjectMapper().readTree(json));
    }

    @Test
    void reportsOfEveryKindMatchTheSchema() throws IOException {
        EvaluationTest.Counted real = EvaluationTest.digits(51, 1100);
        EvaluationTest.Counted fake = EvaluationTest.digits(52, 1050);
        String all = ReportWriter.json(Evaluation.of(real, fake).metrics("fid", "kid", "is", "prdc", "wasserstein", "vendi",
                "c2st").metric("parzen", Map.of("sigmas", "0.2")).run());
        assertEquals(Set.of(), problems(all), all);
        GaussianStats a = GaussianStats.of(EvaluationTest.gaussian(53, 50, 4, 0));
        GaussianStats b = GaussianStats.of(EvaluationTest.gaussian(54, 60, 4, 1));
        String stats = ReportWriter.json(Evaluation.builder().real(a, "a.npz").fake(b, "b.npz").metrics("fid").run());
        assertEquals(Set.of(), problems(stats), stats);
        assertTrue(stats.contains("\"network\": \"stats\"") && stats.contains("\"kind\": \"statistics\""), stats);
        String isOnly = ReportWriter.json(Evaluation.builder().fake(fake).metrics("is").run());
        assertEquals(Set.of(), problems(isOnly), isOnly);
    }

    @Test
    void theSchemaRefusesWhatAReportMustNotBe() throws IOException {
        String json = ReportWriter.json(Evaluation.builder().fake(EvaluationTest.digits(55, 300)).metrics("is").run());
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode missing = (ObjectNode) mapper.readTree(json);
        missing.remove("results");
        ObjectNode renamed = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) renamed.get("results").get(0)).put("metric", "Inception Score");
        ObjectNode extra = (ObjectNode) mapper.readTree(json);
        extra.put("real_samples", 2);
        for (JsonNode bad : new JsonNode[] {missing, renamed, extra}) {
            assertFalse(schema().validate(bad).isEmpty(), bad.toString());
        }
    }
}
