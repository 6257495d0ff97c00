package io.tiergate.platform.kafka.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReadTargetsTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void readWhenEveryPartitionIsAtOrPastItsTarget() {
        ReadTargets targets = new ReadTargets(Map.of(P0, 5L, P1, 0L));

        assertThat(targets.reached(tp -> tp.equals(P0) ? 4 : 0)).isFalse();
        assertThat(targets.remaining(tp -> tp.equals(P0) ? 4 : 0)).containsExactly(Map.entry(P0, 5L));
        assertThat(targets.reached(tp -> tp.equals(P0) ? 5 : 0)).isTrue();
        assertThat(targets.reached(tp -> 9))
                .as("past the target: records appended after the start")
                .isTrue();
    }

    @Test
    void nothingToReadIsReadAtOnce() {
        assertThat(new ReadTargets(Map.of()).reached(tp -> 0)).isTrue();
    }

    @Test
    void aPartitionWithoutATargetHasNone() {
        assertThat(new ReadTargets(Map.of(P0, 3L)).of(P1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void startOffsets() {
        OffsetAndTimestamp at7 = new OffsetAndTimestamp(7, 1000);
        assertThat(ReadTargets.startOffset(StartAt.beginning(), null, 2, 10)).isEqualTo(2);
        assertThat(ReadTargets.startOffset(StartAt.end(), null, 2, 10)).isEqualTo(10);
        assertThat(ReadTargets.startOffset(StartAt.at(1000), at7, 2, 10)).isEqualTo(7);
        assertThat(ReadTargets.startOffset(StartAt.at(5000), null, 2, 10))
                .as("nothing at or after the time: the end")
                .isEqualTo(10);
    }

    @Test
    void stopOffsets() {
        assertThat(ReadTargets.stopOffset(10, null)).isEqualTo(10);
        assertThat(ReadTargets.stopOffset(10, new OffsetAndTimestamp(4, 1))).isEqualTo(4);
        assertThat(ReadTargets.stopOffset(10, new OffsetAndTimestamp(12, 1)))
                .as("never past the end of the start")
                .isEqualTo(10);
    }
}
