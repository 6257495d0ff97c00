package io.tiergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeScriptTest {

    @TempDir
    Path dir;

    @Test
    void runsTheScriptWithItsArgumentsAndEnvironmentAndReportsAFailureWithItsStderr() throws Exception {
        Files.writeString(
                dir.resolve("echo.mjs"),
                "if (process.argv[2] === 'fail') { console.error('broken: ' + process.env.WHY); process.exit(3); }\n"
                        + "console.log(JSON.stringify({ arg: process.argv[2], env: process.env.WHY }));\n");
        NodeScript script = new NodeScript(dir, "echo.mjs");
        Assumptions.assumeTrue(
                !script.missing("x").orElse("").contains("`node`"), "Skipped: `node` is not on the PATH");

        assertThat(script.missing("openai"))
                .hasValueSatisfying(m -> assertThat(m).contains("npm package openai is not installed"));
        assertThat(script.run(Duration.ofSeconds(30), Map.of("WHY", "because"), "hello"))
                .isEqualTo("{\"arg\":\"hello\",\"env\":\"because\"}\n");
        assertThatThrownBy(() -> script.run(Duration.ofSeconds(30), Map.of("WHY", "on purpose"), "fail"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("broken: on purpose");
    }
}
