package io.tiergate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.cli.demo.PipelineTracker;
import io.tiergate.cli.demo.PipelineTracker.RequestState;
import io.tiergate.cli.demo.RequestSender;
import io.tiergate.cli.demo.Workload;
import io.tiergate.cli.demo.WorkloadItem;
import io.tiergate.cli.stack.LocalStack;
import io.tiergate.cli.stack.ServiceSpec;
import io.tiergate.cli.stack.StackOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Routing overhead: sends requests at fixed rates through classifier and router on a real broker
 * and measures the time from a request being produced to its decision landing on a tier topic.
 * Prints one JSON object per rate ({@code rate, p50Ms, p99Ms, sent, routed}) and a summary with the
 * highest rate whose p99 stayed within the target.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure routing overhead (request produced -> decision on the tier topic) at fixed rates; prints JSON.")
public class BenchCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin StackMixin stack;

  @Option(names = "--rates", split = ",", defaultValue = "250,500,1000,2000", description = "Rates to measure, req/s (default: ${DEFAULT-VALUE}).")
  List<Integer> rates;

  @Option(names = "--duration", defaultValue = "20", description = "Seconds of traffic per rate (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(names = "--warmup", defaultValue = "5", description = "Seconds of traffic before measuring, at the first rate (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--p99-target-ms", defaultValue = "100", description = "p99 target for the 'maximum sustained rate' (default: ${DEFAULT-VALUE}).")
  long p99TargetMs;

  @Option(names = "--workload", description = "JSONL workload the prompts come from (default: workloads/reference.jsonl).")
  Path workload;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws IOException, InterruptedException {
    StackOptions base = stack.toOptions();
    List<WorkloadItem> items = Workload.read(workload != null ? workload : base.home().resolve("workloads/reference.jsonl"));
    List<ServiceSpec> routing = ServiceSpec.ALL.subList(0, 2); // classifier-service, router-service
    StackOptions options =
        base.with(stack.dataDir != null ? base.dataDir() : base.dataDir().resolve("bench"), base.bootstrap().isEmpty(), routing);
    System.err.println("[bench] starting broker, registry, classifier-service and router-service ...");
    try (LocalStack running = LocalStack.start(options, System.err, Map.of());
        RequestSender sender = new RequestSender(running.bootstrapServers(), running.registryUrl())) {
      String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
      try (PipelineTracker tracker = new PipelineTracker(running.bootstrapServers(), running.registryUrl(), prefix)) {
        if (warmupSeconds > 0) {
          System.err.printf("[bench] warm-up: %d s at %d req/s%n", warmupSeconds, rates.get(0));
          send(sender, items, prefix + "warmup-", rates.get(0), warmupSeconds);
        }
        ArrayNode all = JSON.createArrayNode();
        int sustained = 0;
        for (int rate : rates) {
          System.err.printf("[bench] %d req/s for %d s ...%n", rate, durationSeconds);
          String ratePrefix = prefix + "r" + rate + "-";
          List<long[]> sent = send(sender, items, ratePrefix, rate, durationSeconds);
          ObjectNode result = measure(tracker, sent, ratePrefix, rate);
          out.println(JSON.writeValueAsString(result));
          all.add(result);
          if (result.get("p99Ms").asLong() <= p99TargetMs && result.get("routed").asInt() == result.get("sent").asInt()) {
            sustained = Math.max(sustained, rate);
          }
        }
        ObjectNode summary = JSON.createObjectNode();
        summary.put("maxSustainedRateWithinP99Target", sustained);
        summary.put("p99TargetMs", p99TargetMs);
        summary.put("partitions", options.partitions());
        summary.put("cores", Runtime.getRuntime().availableProcessors());
        out.println(JSON.writeValueAsString(summary));
      }
    }
    return 0;
  }

  /** Sends at {@code rate} for {@code seconds}; returns [index, sentAtMs] per request. */
  private static List<long[]> send(RequestSender sender, List<WorkloadItem> items, String prefix, int rate, int seconds)
      throws InterruptedException {
    int count = rate * seconds;
    List<long[]> sent = new ArrayList<>(count);
    long start = System.nanoTime();
    long interval = 1_000_000_000L / rate;
    for (int i = 0; i < count; i++) {
      long wait = start + i * interval - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      sent.add(new long[] {i, sender.send(prefix + i, items.get(i % items.size()))});
    }
    sender.flush();
    return sent;
  }

  private static ObjectNode measure(PipelineTracker tracker, List<long[]> sent, String prefix, int rate)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<Long> latencies = new ArrayList<>();
    while (true) {
      Map<String, RequestState> states = tracker.requests();
      latencies.clear();
      for (long[] s : sent) {
        RequestState state = states.get(prefix + s[0]);
        if (state != null && state.routedAtMs >= 0) {
          latencies.add(state.routedAtMs - s[1]);
        }
      }
      if (latencies.size() == sent.size() || System.nanoTime() > deadline) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    Collections.sort(latencies);
    ObjectNode result = JSON.createObjectNode();
    result.put("rate", rate);
    result.put("p50Ms", percentile(latencies, 50));
    result.put("p99Ms", percentile(latencies, 99));
    result.put("maxMs", latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
    result.put("sent", sent.size());
    result.put("routed", latencies.size());
    return result;
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
