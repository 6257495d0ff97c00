package io.tiergate.gateway.kafka;

import io.tiergate.gateway.keys.KeyTokens;
import io.tiergate.platform.kafka.EventDecoder;
import io.tiergate.platform.kafka.EventPublisher;
import io.tiergate.platform.kafka.KafkaClientSettings;
import io.tiergate.platform.kafka.read.CompactedView;
import io.tiergate.schemas.events.VirtualKey;
import io.tiergate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Virtual keys for the CLI ({@code ./tiergate keys create|list|revoke}) and tests, without
 * Micronaut: writes gateway.keys (key = the token's SHA-256) and reads it back once. The token is
 * returned by {@link #create} and never stored: only its hash and first characters are.
 */
public final class KeyAdmin implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClientSettings settings;
    private final EventPublisher publisher;

    /** A key just created: the token (shown once) and its record. */
    public record Created(String token, VirtualKey key) {}

    public KeyAdmin(String bootstrapServers, String schemaRegistryUrl) {
        this(new KafkaClientSettings(bootstrapServers, schemaRegistryUrl, "tiergate-cli"));
    }

    /** With the given cluster settings (the CLI's, with the client security of --command-config). */
    public KeyAdmin(KafkaClientSettings settings) {
        this.settings = settings;
        this.publisher = new EventPublisher(settings);
    }

    /**
     * Creates a key billing {@code costCenter}.
     *
     * @param maxOutputTokens the most output tokens one request of the key may ask for; null: no key limit
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public Created create(String costCenter, String name, Integer maxOutputTokens, boolean requireSovereignty) {
        check(costCenter, maxOutputTokens);
        String token = KeyTokens.newToken();
        VirtualKey key = VirtualKey.newBuilder()
                .setKeyHash(KeyTokens.hash(token))
                .setKeyPrefix(KeyTokens.shown(token))
                .setCostCenter(costCenter)
                .setName(name)
                .setMaxOutputTokens(maxOutputTokens)
                .setRequireSovereignty(requireSovereignty)
                .setCreatedAt(Instant.now())
                .build();
        send(key);
        return new Created(token, key);
    }

    /**
     * Checks what {@link #create} checks, without a cluster: the CLI refuses a bad option before it
     * looks for a broker.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static void check(String costCenter, Integer maxOutputTokens) {
        if (costCenter == null || costCenter.isBlank()) {
            throw new IllegalArgumentException("--cost-center is required");
        }
        if (Topics.GLOBAL_SCOPE.equals(costCenter)) {
            throw new IllegalArgumentException(
                    "--cost-center cannot be '" + Topics.GLOBAL_SCOPE + "' (the global budget's scope)");
        }
        if (maxOutputTokens != null && maxOutputTokens < 1) {
            throw new IllegalArgumentException("--max-output-tokens must be >= 1, was " + maxOutputTokens);
        }
    }

    /** Every key, revoked ones included, oldest first. */
    public List<VirtualKey> list() {
        Map<String, VirtualKey> keys = new LinkedHashMap<>();
        CompactedView.builder(settings, new EventDecoder(settings), "tiergate-cli-keys")
                .topic(Topics.GATEWAY_KEYS, (hash, key) -> {
                    if (key == null) {
                        keys.remove(hash);
                    } else {
                        keys.put(hash, key);
                    }
                })
                .loadOnce(TIMEOUT);
        List<VirtualKey> all = new ArrayList<>(keys.values());
        all.sort(Comparator.comparing(VirtualKey::getCreatedAt));
        return all;
    }

    /**
     * Revokes the key whose listed prefix or hash is {@code key} (a whole token works too): every
     * gateway refuses it once it reads the record.
     *
     * @throws IllegalArgumentException when no key, or more than one, matches
     */
    public VirtualKey revoke(String key) {
        String hashOfToken =
                key.startsWith(KeyTokens.PREFIX) && key.length() > KeyTokens.SHOWN ? KeyTokens.hash(key) : null;
        List<VirtualKey> matches = list().stream()
                .filter(k -> k.getKeyHash().equals(key)
                        || k.getKeyHash().equals(hashOfToken)
                        || k.getKeyPrefix().equals(key))
                .toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException(
                    "no key matches '" + key + "' (give its prefix from ./tiergate keys list)");
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException(
                    matches.size() + " keys match '" + key + "': give the whole hash from ./tiergate keys list");
        }
        VirtualKey revoked = VirtualKey.newBuilder(matches.get(0))
                .setRevokedAt(Instant.now())
                .build();
        send(revoked);
        return revoked;
    }

    private void send(VirtualKey key) {
        try {
            publisher.send(Topics.GATEWAY_KEYS, key.getKeyHash(), key).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing gateway.keys", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write gateway.keys: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
