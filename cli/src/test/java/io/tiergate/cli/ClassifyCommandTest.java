package io.tiergate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tiergate classify}: parsing and usage errors; the classifier's models are not loaded here. */
class ClassifyCommandTest {

    @Test
    void readsStdinAndWritesStdoutByDefault() {
        ClassifyCommand classify = Cli.parse(ClassifyCommand.class, "classify");
        assertThat(classify.in).isNull();
        assertThat(classify.out).isNull();
    }

    @Test
    void inAndOutFiles() {
        ClassifyCommand classify =
                Cli.parse(ClassifyCommand.class, "classify", "--in", "prompts.jsonl", "--out", "labels.jsonl");
        assertThat(classify.in).isEqualTo(Path.of("prompts.jsonl"));
        assertThat(classify.out).isEqualTo(Path.of("labels.jsonl"));
    }

    @Test
    void anInputFileThatDoesNotExistIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.jsonl");
        Cli.run("classify", "--in", missing.toString())
                .failsWith("Invalid value for option '--in': " + missing + " is not a readable file");
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void aDirectoryIsNotAnInputFile(@TempDir Path dir) {
        Cli.run("classify", "--in", dir.toString())
                .failsWith("Invalid value for option '--in': " + dir + " is not a readable file");
    }
}
