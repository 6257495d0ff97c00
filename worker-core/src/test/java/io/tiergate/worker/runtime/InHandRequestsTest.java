package io.tiergate.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InHandRequestsTest {

    @Test
    void aSecondRecordOfARequestInHandIsADuplicateOfTheFirst() {
        InHandRequests<Integer> inHand = new InHandRequests<>();

        assertThat(inHand.track(0, "r", 10)).isEmpty();
        assertThat(inHand.track(0, "r", 12)).contains(10L);
        assertThat(inHand.track(1, "r", 12)).as("another partition").isEmpty();
        assertThat(inHand.track(0, "s", 13)).isEmpty();
    }

    @Test
    void onceTheFirstIsReleasedTheRequestIsNoLongerInHand() {
        InHandRequests<Integer> inHand = new InHandRequests<>();
        inHand.track(0, "r", 10);
        inHand.track(0, "r", 12);

        inHand.release(0, "r", 12); // the duplicate committing does not release the first
        assertThat(inHand.track(0, "r", 14)).contains(10L);

        inHand.release(0, "r", 10);
        assertThat(inHand.track(0, "r", 20)).isEmpty();
    }

    @Test
    void droppingAPartitionReleasesAllOfItsRequests() {
        InHandRequests<Integer> inHand = new InHandRequests<>();
        inHand.track(0, "r", 10);
        inHand.track(1, "s", 10);

        inHand.releaseAll(0);

        assertThat(inHand.track(0, "r", 10)).as("read again after a reset").isEmpty();
        assertThat(inHand.size()).isEqualTo(2);
    }
}
