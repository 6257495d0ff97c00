package io.tiergate.gateway.keys;

import io.tiergate.gateway.chat.ApiError;
import io.tiergate.gateway.chat.Caller;
import io.tiergate.schemas.events.VirtualKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys this gateway instance knows, by hash, as gateway.keys says (each instance reads the
 * whole compacted topic, so a revocation reaches every instance as soon as it reads the record).
 * A bearer token is checked by hashing it and looking the hash up: the token itself is never kept.
 */
public final class VirtualKeys {

    private final Map<String, VirtualKey> byHash = new ConcurrentHashMap<>();

    /** A gateway.keys record: the latest value of {@code keyHash}, null for a tombstone (deleted). */
    public void apply(String keyHash, VirtualKey key) {
        if (key == null) {
            byHash.remove(keyHash);
        } else {
            byHash.put(keyHash, key);
        }
    }

    public int size() {
        return byHash.size();
    }

    /**
     * Who an {@code Authorization} header value belongs to.
     *
     * @return the caller, or the 401 to answer: no bearer token, an unknown one, a revoked one
     */
    public Result authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Result.refused(ApiError.unauthorized(
                    "You didn't provide an API key. Send a tiergate virtual key as 'Authorization: Bearer tg-...'"
                            + " (create one with ./tiergate keys create --cost-center NAME)."));
        }
        String value = authorization.strip();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Result.refused(ApiError.unauthorized("The Authorization header must be 'Bearer <key>'."));
        }
        String token = value.substring(7).strip();
        VirtualKey key = byHash.get(KeyTokens.hash(token));
        if (key == null) {
            return Result.refused(ApiError.unauthorized(
                    "Incorrect API key provided: " + KeyTokens.shown(token) + "... is not a tiergate key."));
        }
        if (key.getRevokedAt() != null) {
            return Result.refused(ApiError.unauthorized(
                    "The API key " + key.getKeyPrefix() + "... was revoked at " + key.getRevokedAt() + "."));
        }
        return Result.of(new Caller(
                key.getCostCenter(),
                Optional.of(key.getKeyPrefix()),
                Optional.ofNullable(key.getMaxOutputTokens()),
                key.getRequireSovereignty()));
    }

    /** A caller, or why not. */
    public record Result(Optional<Caller> caller, Optional<ApiError> refusal) {
        static Result of(Caller caller) {
            return new Result(Optional.of(caller), Optional.empty());
        }

        static Result refused(ApiError error) {
            return new Result(Optional.empty(), Optional.of(error));
        }
    }
}
