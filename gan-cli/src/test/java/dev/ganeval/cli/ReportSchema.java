package dev.ganeval.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The CLI's JSON output against docs/schema/ganeval.score-2.schema.json. */
final class ReportSchema {
    private ReportSchema() {}

    static Set<ValidationMessage> problems(String json) {
        try (InputStream in = Files.newInputStream(Path.of("..", "docs", "schema", "ganeval.score-2.schema.json"))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in)
                    .validate(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
