package io.tiergate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigurationTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(), Environment.CLI)) {
            assertThat(ctx.getBean(GatewayConfiguration.class)).isEqualTo(GatewayConfiguration.DEFAULTS);
        }
    }

    @Test
    void anInvalidValueStopsTheStartNamingTheProperty() {
        assertThatThrownBy(() -> ApplicationContext.run(Map.of("tiergate.gateway.max-pending", "0"), Environment.CLI)
                        .close())
                .hasStackTraceContaining("tiergate.gateway.max-pending");
    }
}
