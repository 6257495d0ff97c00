package io.tiergate.platform.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code tiergate.topics.*}: partition counts and replication, so scale-out is configuration.
 * {@code partitions} maps a topic name to its count; others get {@code default-partitions}.
 */
@ConfigurationProperties("tiergate.topics")
public class TopicsConfiguration {

  @Positive private int defaultPartitions = 3;

  @Min(1)
  @Max(32767)
  private short replicationFactor = 1;

  private Map<String, @Positive Integer> partitions = new HashMap<>();

  public int getDefaultPartitions() {
    return defaultPartitions;
  }

  public void setDefaultPartitions(int defaultPartitions) {
    this.defaultPartitions = defaultPartitions;
  }

  public short getReplicationFactor() {
    return replicationFactor;
  }

  public void setReplicationFactor(short replicationFactor) {
    this.replicationFactor = replicationFactor;
  }

  public Map<String, Integer> getPartitions() {
    return partitions;
  }

  public void setPartitions(Map<String, Integer> partitions) {
    this.partitions = partitions;
  }

  public int partitionsFor(String topic) {
    return partitions.getOrDefault(topic, defaultPartitions);
  }
}
