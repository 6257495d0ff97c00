package io.tiergate.classifier.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddingCacheTest {

    @Test
    void aRepeatedAskIsEmbeddedOnce() {
        TaskClassifierTest.FakeEmbedder model = new TaskClassifierTest.FakeEmbedder();
        EmbeddingCache cache = new EmbeddingCache(model, 10);
        float[] first = cache.embed("summarize this");
        float[] again = cache.embed("summarize this");
        assertThat(again).isSameAs(first);
        assertThat(model.calls).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedAskIsEvicted() {
        TaskClassifierTest.FakeEmbedder model = new TaskClassifierTest.FakeEmbedder();
        EmbeddingCache cache = new EmbeddingCache(model, 2);
        cache.embed("a");
        cache.embed("b");
        cache.embed("a"); // a is now the most recent
        cache.embed("c"); // evicts b
        cache.embed("a");
        assertThat(model.calls).hasValue(3);
        cache.embed("b");
        assertThat(model.calls).hasValue(4);
    }

    @Test
    void aFailedEmbeddingIsNotCached() {
        TaskClassifierTest.FakeEmbedder model = new TaskClassifierTest.FakeEmbedder();
        EmbeddingCache cache = new EmbeddingCache(model, 2);
        model.fail = true;
        try {
            cache.embed("a");
        } catch (IllegalStateException expected) {
            // the classifier falls back to the fast model; the next call tries again
        }
        model.fail = false;
        assertThat(cache.embed("a")).hasSize(384);
        assertThat(model.calls).hasValue(2);
    }
}
