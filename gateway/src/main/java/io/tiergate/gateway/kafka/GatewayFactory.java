package io.tiergate.gateway.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Factory;
import io.tiergate.gateway.chat.ChatRequestMapper;
import io.tiergate.gateway.chat.ChatResponseMapper;
import io.tiergate.gateway.chat.ModelCatalog;
import io.tiergate.gateway.config.GatewayConfiguration;
import io.tiergate.gateway.keys.VirtualKeys;
import io.tiergate.gateway.pending.PendingCalls;
import io.tiergate.gateway.stream.StreamingCalls;
import io.tiergate.schemas.cost.PriceTable;
import jakarta.inject.Singleton;

/** The gateway's plain parts, built once from its configuration. */
@Factory
public class GatewayFactory {

    @Singleton
    ModelCatalog models() {
        return new ModelCatalog(PriceTable.loadDefault());
    }

    @Singleton
    ChatRequestMapper requests(ModelCatalog models) {
        return new ChatRequestMapper(new ObjectMapper(), models);
    }

    @Singleton
    ChatResponseMapper responses(GatewayConfiguration config) {
        return new ChatResponseMapper(config.deferRetryAfter());
    }

    @Singleton
    VirtualKeys keys() {
        return new VirtualKeys();
    }

    @Singleton
    StreamingCalls streams() {
        return new StreamingCalls();
    }

    @Singleton
    PendingCalls pending(GatewayConfiguration config) {
        return new PendingCalls(config.maxPending());
    }
}
