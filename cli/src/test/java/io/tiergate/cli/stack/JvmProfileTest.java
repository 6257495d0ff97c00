package io.tiergate.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmProfileTest {

    @Test
    void aCollectorInJavaOptsReplacesTheProfilesCollector() {
        assertThat(JvmProfile.yieldingTo(JvmProfile.STEADY_STATE.options(), "-Xlog:gc -XX:+UseZGC"))
                .containsExactly("-Xms768m", "-Xmx768m");
    }

    @Test
    void otherJavaOptsLeaveTheProfileAsItIs() {
        assertThat(JvmProfile.yieldingTo(JvmProfile.QUICK_START.options(), "-Xmx2g -XX:+AlwaysPreTouch"))
                .isEqualTo(JvmProfile.QUICK_START.options());
        assertThat(JvmProfile.yieldingTo(List.of("-XX:+UseSerialGC"), "")).containsExactly("-XX:+UseSerialGC");
    }
}
