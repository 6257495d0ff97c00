package io.tiergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ExitHook} in a real child JVM that owns a child process of its own: SIGTERM to the JVM
 * (what Ctrl-C or {@code kill} sends a command) must take the process with it, and a cancelled hook
 * must not.
 */
class ExitHookTest {

    @Test
    void aSigtermedJvmStopsTheProcessItOwns() throws Exception {
        long owned = terminateOwnerOf("register");
        // the hook sends the process SIGTERM; give it a moment to end
        ProcessHandle.of(owned)
                .ifPresent(p ->
                        p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join());
        assertThat(alive(owned))
                .as("the owned process after its JVM was terminated")
                .isFalse();
    }

    @Test
    void aCancelledHookLeavesTheProcessAlone() throws Exception {
        long owned = terminateOwnerOf("cancel");
        try {
            assertThat(alive(owned)).as("the owned process, its hook cancelled").isTrue();
        } finally {
            ProcessHandle.of(owned).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Starts {@link Owner} in its own JVM, waits for its child's pid, sends SIGTERM, waits for the exit. */
    private static long terminateOwnerOf(String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process owner = new ProcessBuilder(List.of(
                        java.toString(), "-cp", System.getProperty("java.class.path"), Owner.class.getName(), mode))
                .redirectErrorStream(true)
                .start();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            assertThat(line).as("the owner's first line").startsWith("pid ");
            long owned = Long.parseLong(line.substring(4).trim());
            assertThat(alive(owned)).as("the owned process while its JVM runs").isTrue();
            owner.destroy(); // SIGTERM
            assertThat(owner.waitFor(20, TimeUnit.SECONDS))
                    .as("the owner exits")
                    .isTrue();
            return owned;
        }
    }

    private static boolean alive(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return handle.isPresent() && handle.get().isAlive();
    }

    /** The child JVM: owns a {@code sleep} process, registers (and maybe cancels) the hook, waits. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            Process sleep = new ProcessBuilder("sleep", "300").start();
            ExitHook hook = ExitHook.register("test-stop", sleep::destroy);
            if (args[0].equals("cancel")) {
                hook.cancel();
            }
            System.out.println("pid " + sleep.pid());
            System.out.flush();
            sleep.waitFor(); // until the test terminates this JVM (or the process ends)
        }
    }
}
