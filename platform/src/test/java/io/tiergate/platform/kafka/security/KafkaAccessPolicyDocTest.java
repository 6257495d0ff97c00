package io.tiergate.platform.kafka.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/security.md's ACL table is the policy's: one list, documented as it is enforced. */
class KafkaAccessPolicyDocTest {

    @Test
    void securityPageShowsThePolicyAsItIs() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "security.md"));
        assertThat(page)
                .as(
                        "docs/security.md, \"Principals and ACLs\", must contain KafkaAccessPolicy.standard().markdownTable()")
                .contains(KafkaAccessPolicy.standard().markdownTable());
    }

    @Test
    void theIssue15RefusalsFollowFromThePolicy() {
        KafkaAccessPolicy policy = KafkaAccessPolicy.standard();
        assertThat(policy.mayWrite(KafkaAccessPolicy.LOCAL_WORKER, "budget.config"))
                .isFalse();
        assertThat(policy.mayWrite(KafkaAccessPolicy.UPSTREAM, "inference.tier.cloud"))
                .isFalse();
        assertThat(policy.mayRead(KafkaAccessPolicy.UPSTREAM, "inference.requests.dlq"))
                .isFalse();
        assertThat(policy.mayRead(KafkaAccessPolicy.OPS, "inference.requests.dlq"))
                .isTrue();
        for (String service : KafkaAccessPolicy.SERVICES) {
            assertThat(policy.mayWrite(service, "budget.config")).as(service).isFalse();
            assertThat(policy.mayWrite(service, "routing.rules")).as(service).isFalse();
        }
    }

    @Test
    void theLedgerAggregatesCalibrationAndOnlyOpsReadsIt() {
        KafkaAccessPolicy policy = KafkaAccessPolicy.standard();
        assertThat(policy.mayRead(KafkaAccessPolicy.LEDGER, "routing.calibration.samples"))
                .isTrue();
        assertThat(policy.mayWrite(KafkaAccessPolicy.LEDGER, "routing.calibration.samples.dlq"))
                .isTrue();
        assertThat(policy.mayWrite(KafkaAccessPolicy.LEDGER, "routing.calibration"))
                .isTrue();
        assertThat(policy.mayRead(KafkaAccessPolicy.OPS, "routing.calibration")).isTrue();
        assertThat(policy.mayRead(KafkaAccessPolicy.UPSTREAM, "routing.calibration"))
                .isFalse();
        for (String service : KafkaAccessPolicy.SERVICES) {
            if (!service.equals(KafkaAccessPolicy.LEDGER)) {
                assertThat(policy.mayWrite(service, "routing.calibration"))
                        .as(service)
                        .isFalse();
            }
        }
    }
}
