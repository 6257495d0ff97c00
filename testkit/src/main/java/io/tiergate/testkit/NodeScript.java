package io.tiergate.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script of the tests (a third-party npm client driving tiergate as applications do), run
 * in its folder with the packages its install.sh put in {@code node_modules}. Tests skip, with
 * {@link #missing}'s reason, where {@code node} or the package is not installed.
 */
public final class NodeScript {

    private final Path dir;
    private final String script;

    /**
     * @param dir the script's folder (its package.json and node_modules)
     * @param script the file name, e.g. {@code openai-client.mjs}
     */
    public NodeScript(Path dir, String script) {
        this.dir = dir;
        this.script = script;
    }

    /** Why the script cannot run here (no {@code node}, or {@code npmPackage} not installed); empty when it can. */
    public Optional<String> missing(String npmPackage) {
        if (!nodeAnswers()) {
            return Optional.of("`node` is not on the PATH (Node.js 18+ is needed)");
        }
        if (!Files.isDirectory(dir.resolve("node_modules").resolve(npmPackage))) {
            return Optional.of("npm package " + npmPackage + " is not installed; run " + dir.resolve("install.sh"));
        }
        return Optional.empty();
    }

    /**
     * Runs the script with {@code args} (and {@code env} added to this process's environment) and
     * returns what it printed on stdout.
     *
     * @throws IllegalStateException when it exits non-zero or runs longer than {@code timeout}, with
     *     what it printed on stderr
     */
    public String run(Duration timeout, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-script", ".log");
        Path stdout = Files.createTempFile("node-script", ".out");
        try {
            List<String> command = new ArrayList<>(List.of("node", script));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(log.toFile());
            builder.environment().putAll(env);
            Process node = builder.start();
            if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                node.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within " + timeout.toSeconds() + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (node.exitValue() != 0) {
                throw new IllegalStateException(script + " exited with " + node.exitValue() + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(stdout);
        }
    }

    private static boolean nodeAnswers() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
