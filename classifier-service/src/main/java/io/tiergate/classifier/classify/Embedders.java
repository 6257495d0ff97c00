package io.tiergate.classifier.classify;

/** The sentence embedders a task model can name, made from that name. */
public final class Embedders {

    private Embedders() {}

    /**
     * The embedder called {@code name}: one of {@link OnnxSentenceEmbedder.Spec}'s models, or such a
     * name with {@link StaticTokenEmbedder#SUFFIX} for that model's static token embeddings.
     *
     * @param intraOpThreads ONNX threads (the static embedder runs ONNX only for unseen tokens)
     * @param maxTokens texts are cut to this many tokens
     */
    public static SentenceEmbedder named(String name, int intraOpThreads, int maxTokens) {
        if (name.endsWith(StaticTokenEmbedder.SUFFIX)) {
            String model = name.substring(0, name.length() - StaticTokenEmbedder.SUFFIX.length());
            return new StaticTokenEmbedder(
                    new OnnxSentenceEmbedder(OnnxSentenceEmbedder.Spec.named(model), intraOpThreads, maxTokens));
        }
        return new OnnxSentenceEmbedder(OnnxSentenceEmbedder.Spec.named(name), intraOpThreads, maxTokens);
    }
}
