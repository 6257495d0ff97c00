package io.tiergate.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void cpuPerRequestIsTheDifferenceOverTheRequests() {
        Map<String, Long> before = Map.of("classifier-service", 1_000_000_000L, "broker", 5_000_000L);
        Map<String, Long> after = Map.of("classifier-service", 3_000_000_000L, "broker", 7_500_000L);

        // 2 s of CPU over 2,000 requests is 1 ms each; 2.5 ms over 2,000 is 1.25 µs, rounded to 0.001 ms
        assertThat(ProcessCpu.perRequestMs(before, after, 2_000))
                .containsEntry("classifier-service", 1.0)
                .containsEntry("broker", 0.001);
    }

    @Test
    void aProcessThatCouldNotBeReadIsLeftOut() {
        Map<String, Long> before = Map.of("gone", -1L, "here", 0L);
        Map<String, Long> after = Map.of("gone", 10L, "here", 4_000_000L);

        assertThat(ProcessCpu.perRequestMs(before, after, 4))
                .containsOnlyKeys("here")
                .containsEntry("here", 1.0);
    }

    @Test
    void readsThisProcesssCpuTimeAndItGrows() {
        ProcessCpu cpu = new ProcessCpu(Map.of("self", ProcessHandle.current().pid(), "none", Long.MAX_VALUE));
        Map<String, Long> before = cpu.snapshot();
        long spin = 0;
        for (long deadline = System.nanoTime() + 200_000_000L; System.nanoTime() < deadline; ) {
            spin += Long.numberOfTrailingZeros(System.nanoTime());
        }
        Map<String, Long> after = cpu.snapshot();

        assertThat(spin).isPositive();
        assertThat(before.get("self")).isPositive();
        assertThat(after.get("self")).isGreaterThan(before.get("self"));
        assertThat(after.get("none")).isEqualTo(-1L);
    }

    @Test
    void waitsForQuietAndGivesUpOnABusyProcess() throws InterruptedException {
        ProcessCpu cpu = new ProcessCpu(Map.of("self", ProcessHandle.current().pid()));
        assertThat(cpu.awaitQuiet(0.9, Duration.ofMillis(200), Duration.ofSeconds(5)))
                .isTrue();

        Thread spinner = new Thread(() -> {
            long spin = 0;
            while (!Thread.currentThread().isInterrupted()) {
                spin += Long.numberOfTrailingZeros(System.nanoTime());
            }
            assertThat(spin).isNotNegative();
        });
        spinner.start();
        try {
            assertThat(cpu.awaitQuiet(0.3, Duration.ofMillis(200), Duration.ofMillis(500)))
                    .isFalse();
        } finally {
            spinner.interrupt();
            spinner.join();
        }
    }
}
