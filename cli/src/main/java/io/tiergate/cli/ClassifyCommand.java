package io.tiergate.cli;

import io.tiergate.classifier.batch.BatchClassifier;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code classify}: the classifier on JSONL, without a broker. */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description = {
            "Classify prompts without a broker: reads JSONL lines {\"prompt\": ..., \"taskTypeHint\": optional} from stdin (or --in)",
            "and writes one JSONL line per input, in order: taskType, confidence, estimatedInputTokens, complexity, containsSensitiveData, ...",
            "A line that is not valid JSON yields a line with an \"error\" field; processing continues."
        })
public class ClassifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", description = "Read from this file instead of stdin.")
    Path in;

    @Option(names = "--out", description = "Write to this file instead of stdout.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (in != null && !(Files.isRegularFile(in) && Files.isReadable(in))) {
            // checked before the classifier's models load (seconds), with the option named
            throw new ParameterException(
                    spec.commandLine(), "Invalid value for option '--in': " + in + " is not a readable file");
        }
        BatchClassifier classifier = BatchClassifier.createDefault();
        try (Reader reader = in == null
                        ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                        : Files.newBufferedReader(in, StandardCharsets.UTF_8);
                Writer writer = out == null
                        ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                        : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            classifier.run(reader, writer);
            writer.flush();
        }
        return 0;
    }
}
