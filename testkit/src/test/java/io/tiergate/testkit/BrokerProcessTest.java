package io.tiergate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BrokerProcessTest {

    @Test
    void clusterIdIsTheIdLineNotTheLogLinesAroundIt() {
        String output =
                "01:00:59.036 [main] INFO kafka.utils.Log4jControllerRegistration$ - Registered kafka:type=kafka.Log4jController MBean\n"
                        + "q1Sh-9_NRNKVu3VCBFOmJA\n";
        assertThat(BrokerProcess.clusterId(output)).isEqualTo("q1Sh-9_NRNKVu3VCBFOmJA");
    }

    @Test
    void noIdIsAClearError() {
        assertThatThrownBy(() -> BrokerProcess.clusterId("Exception in thread main"))
                .hasMessageContaining("no cluster id");
    }
}
