package io.tiergate.gateway.chat;

import java.util.Optional;

/**
 * Who is calling, as their virtual key says (docs/gateway.md, "Virtual keys").
 *
 * @param keyPrefix the key's listed prefix; empty for a keyless call (when keys are not required)
 * @param maxOutputTokens the most output tokens one request of the key may ask for
 * @param requireSovereignty every request of the key is sovereign
 */
public record Caller(
        String costCenter, Optional<String> keyPrefix, Optional<Integer> maxOutputTokens, boolean requireSovereignty) {

    public static Caller keyless(String costCenter) {
        return new Caller(costCenter, Optional.empty(), Optional.empty(), false);
    }
}
