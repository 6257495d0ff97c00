package io.tiergate.schemas.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.schemas.events.CapabilityClass;
import io.tiergate.schemas.events.TaskType;
import org.junit.jupiter.api.Test;

class MinimumCapabilityTest {

    @Test
    void reviewNeedsAStrongModel() {
        assertThat(MinimumCapability.servedWell(TaskType.CODE_REVIEW, CapabilityClass.STANDARD))
                .isFalse();
        assertThat(MinimumCapability.servedWell(TaskType.CODE_REVIEW, CapabilityClass.STRONG))
                .isTrue();
        assertThat(MinimumCapability.servedWell(TaskType.CODE_REVIEW, CapabilityClass.FRONTIER))
                .isTrue();
    }

    @Test
    void localWorkIsServedWellLocallyAndArchitectureOnlyByFrontier() {
        assertThat(MinimumCapability.servedWell(TaskType.EXTRACTION, CapabilityClass.LOCAL))
                .isTrue();
        assertThat(MinimumCapability.servedWell(TaskType.ARCHITECTURE, CapabilityClass.STRONG))
                .isFalse();
        assertThat(MinimumCapability.servedWell(TaskType.ARCHITECTURE, CapabilityClass.FRONTIER))
                .isTrue();
        assertThat(MinimumCapability.servedWell(TaskType.IMPLEMENTATION, CapabilityClass.CHEAP))
                .isFalse();
    }

    @Test
    void anUnknownClassIsNeverServedWell() {
        assertThat(MinimumCapability.servedWell(TaskType.CONVERSATION, CapabilityClass.UNKNOWN))
                .isFalse();
    }
}
