package io.tiergate.cloudworker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/** {@code tiergate.cloud-worker.*}: the runtime, the backend choice, retries and the simulation. */
@ConfigurationProperties("tiergate.cloud-worker")
public class CloudWorkerConfiguration {

  /** How models get their backend. */
  public enum BackendMode {
    /** Real endpoints for models whose key resolves; all simulated only when no key resolves at all. */
    AUTO,
    /** Real endpoints only; a configured model without a key fails the start. */
    REAL,
    /** Every cloud model simulated (demo, load tests). */
    SIMULATED
  }

  private boolean enabled = true;
  @Nullable private String workerId;
  @NotBlank private String groupId = "tiergate-cloud-worker";
  @Positive private int maxInFlight = 32;
  @NotNull private BackendMode backend = BackendMode.AUTO;
  @NotNull private Duration connectTimeout = Duration.ofSeconds(10);
  @NotNull private Duration revokeDrainTimeout = Duration.ofSeconds(5);
  @NotNull private Duration shutdownTimeout = Duration.ofSeconds(30);
  private Retry retry = new Retry();
  private Simulation simulation = new Simulation();
  private Health health = new Health();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  @Nullable
  public String getWorkerId() {
    return workerId;
  }

  public void setWorkerId(@Nullable String workerId) {
    this.workerId = workerId;
  }

  public String getGroupId() {
    return groupId;
  }

  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public void setMaxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  public BackendMode getBackend() {
    return backend;
  }

  public void setBackend(BackendMode backend) {
    this.backend = backend;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getRevokeDrainTimeout() {
    return revokeDrainTimeout;
  }

  public void setRevokeDrainTimeout(Duration revokeDrainTimeout) {
    this.revokeDrainTimeout = revokeDrainTimeout;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public Retry getRetry() {
    return retry;
  }

  public void setRetry(Retry retry) {
    this.retry = retry;
  }

  public Simulation getSimulation() {
    return simulation;
  }

  public void setSimulation(Simulation simulation) {
    this.simulation = simulation;
  }

  public Health getHealth() {
    return health;
  }

  public void setHealth(Health health) {
    this.health = health;
  }

  /** {@code tiergate.cloud-worker.retry.*} */
  @ConfigurationProperties("retry")
  public static class Retry {
    @Positive private int maxAttemptsPerModel = 3;
    @NotNull private Duration backoffBase = Duration.ofMillis(500);
    @NotNull private Duration backoffMax = Duration.ofSeconds(8);
    @NotNull private Duration maxRetryAfter = Duration.ofSeconds(30);
    @NotNull private Duration maxRateLimitWait = Duration.ofSeconds(30);
    @NotNull private Duration requestDeadline = Duration.ofMinutes(5);

    public int getMaxAttemptsPerModel() {
      return maxAttemptsPerModel;
    }

    public void setMaxAttemptsPerModel(int maxAttemptsPerModel) {
      this.maxAttemptsPerModel = maxAttemptsPerModel;
    }

    public Duration getBackoffBase() {
      return backoffBase;
    }

    public void setBackoffBase(Duration backoffBase) {
      this.backoffBase = backoffBase;
    }

    public Duration getBackoffMax() {
      return backoffMax;
    }

    public void setBackoffMax(Duration backoffMax) {
      this.backoffMax = backoffMax;
    }

    public Duration getMaxRetryAfter() {
      return maxRetryAfter;
    }

    public void setMaxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
    }

    public Duration getMaxRateLimitWait() {
      return maxRateLimitWait;
    }

    public void setMaxRateLimitWait(Duration maxRateLimitWait) {
      this.maxRateLimitWait = maxRateLimitWait;
    }

    public Duration getRequestDeadline() {
      return requestDeadline;
    }

    public void setRequestDeadline(Duration requestDeadline) {
      this.requestDeadline = requestDeadline;
    }
  }

  /** {@code tiergate.cloud-worker.simulation.*}: see worker-core SimulationSettings. */
  @ConfigurationProperties("simulation")
  public static class Simulation {
    private long seed = 42;
    @DecimalMin("0.001")
    private double speedUp = 1;
    @DecimalMin("0")
    @DecimalMax("1")
    private double failureRate;
    @DecimalMin("0")
    @DecimalMax("1")
    private double rateLimitRate;
    private long retryAfterSeconds = 1;
    @DecimalMin("0")
    @DecimalMax("0.99")
    private double outputJitter = 0.3;

    public long getSeed() {
      return seed;
    }

    public void setSeed(long seed) {
      this.seed = seed;
    }

    public double getSpeedUp() {
      return speedUp;
    }

    public void setSpeedUp(double speedUp) {
      this.speedUp = speedUp;
    }

    public double getFailureRate() {
      return failureRate;
    }

    public void setFailureRate(double failureRate) {
      this.failureRate = failureRate;
    }

    public double getRateLimitRate() {
      return rateLimitRate;
    }

    public void setRateLimitRate(double rateLimitRate) {
      this.rateLimitRate = rateLimitRate;
    }

    public long getRetryAfterSeconds() {
      return retryAfterSeconds;
    }

    public void setRetryAfterSeconds(long retryAfterSeconds) {
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public double getOutputJitter() {
      return outputJitter;
    }

    public void setOutputJitter(double outputJitter) {
      this.outputJitter = outputJitter;
    }
  }

  /** {@code tiergate.cloud-worker.health.*}: worker.health publishing. */
  @ConfigurationProperties("health")
  public static class Health {
    private boolean publish = true;
    @NotNull private Duration checkEvery = Duration.ofSeconds(1);
    @NotNull private Duration heartbeat = Duration.ofSeconds(10);

    public boolean isPublish() {
      return publish;
    }

    public void setPublish(boolean publish) {
      this.publish = publish;
    }

    public Duration getCheckEvery() {
      return checkEvery;
    }

    public void setCheckEvery(Duration checkEvery) {
      this.checkEvery = checkEvery;
    }

    public Duration getHeartbeat() {
      return heartbeat;
    }

    public void setHeartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
    }
  }
}
