package io.tiergate.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.VirtualKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VirtualKeysTest {

    private static VirtualKey key(String token, Instant revokedAt) {
        return VirtualKey.newBuilder()
                .setKeyHash(KeyTokens.hash(token))
                .setKeyPrefix(KeyTokens.shown(token))
                .setCostCenter("team-a")
                .setMaxOutputTokens(500)
                .setCreatedAt(Instant.EPOCH)
                .setRevokedAt(revokedAt)
                .build();
    }

    @Test
    void aKnownBearerTokenIsItsCostCenterAnUnknownRevokedOrMissingOneIs401() {
        VirtualKeys keys = new VirtualKeys();
        String token = KeyTokens.newToken();
        keys.apply(KeyTokens.hash(token), key(token, null));

        VirtualKeys.Result ok = keys.authenticate("Bearer " + token);
        assertThat(ok.caller()).hasValueSatisfying(c -> {
            assertThat(c.costCenter()).isEqualTo("team-a");
            assertThat(c.maxOutputTokens()).contains(500);
        });
        assertThat(keys.authenticate(null).refusal())
                .hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(401));
        assertThat(keys.authenticate("Bearer " + KeyTokens.newToken()).refusal())
                .isPresent();
        assertThat(keys.authenticate("Basic abc").refusal()).isPresent();

        keys.apply(KeyTokens.hash(token), key(token, Instant.EPOCH));
        assertThat(keys.authenticate("Bearer " + token).refusal())
                .hasValueSatisfying(e -> assertThat(e.message()).contains("revoked"));
        keys.apply(KeyTokens.hash(token), null);
        assertThat(keys.authenticate("Bearer " + token).refusal()).isPresent();
    }

    @Test
    void tokensAreRandomAndOnlyTheirHashIsAKey() {
        String a = KeyTokens.newToken();
        assertThat(a).startsWith("tg-").hasSize(43);
        assertThat(KeyTokens.newToken()).isNotEqualTo(a);
        assertThat(KeyTokens.hash(a)).hasSize(64).doesNotContain(a.substring(3));
        assertThat(KeyTokens.hash("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }
}
