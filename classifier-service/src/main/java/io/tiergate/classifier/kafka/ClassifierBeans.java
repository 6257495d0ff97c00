package io.tiergate.classifier.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.tiergate.classifier.calibrate.EmbeddingJudge;
import io.tiergate.classifier.calibrate.FieldsJudge;
import io.tiergate.classifier.calibrate.ShadowJudges;
import io.tiergate.classifier.classify.Embedders;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.classify.SentenceEmbedder;
import io.tiergate.classifier.classify.TaskModel;
import io.tiergate.classifier.classify.WarmUp;
import io.tiergate.classifier.config.ClassifierSettings;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifier as a bean, built at start-up ({@code @Context}: the model loads before the service
 * reports healthy, not on the first record). Not in the CLI environment, whose batch mode builds
 * its own through {@link io.tiergate.classifier.batch.BatchClassifier#createDefault()}.
 */
@Factory
@Requires(notEnv = Environment.CLI)
public class ClassifierBeans {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierBeans.class);

    /**
     * Built, then warmed up on {@code tiergate.classifier.warm-up-prompts} bundled prompts (default
     * 200; 0 turns it off) before any listener reads a record: {@link WarmUp}.
     */
    @Context
    RequestClassifier requestClassifier(
            ClassifierSettings settings, @Value("${tiergate.classifier.warm-up-prompts:200}") int warmUpPrompts) {
        if (warmUpPrompts < 0) {
            throw new IllegalArgumentException(
                    "tiergate.classifier.warm-up-prompts must be >= 0, was " + warmUpPrompts);
        }
        long start = System.nanoTime();
        RequestClassifier classifier = RequestClassifier.create(settings);
        long loaded = System.nanoTime();
        int warmed = WarmUp.run(classifier, warmUpPrompts);
        LOG.info(
                "Classifier {} ready in {} ms, warmed up on {} prompts in {} ms ({})",
                classifier.version(),
                (loaded - start) / 1_000_000,
                warmed,
                (System.nanoTime() - loaded) / 1_000_000,
                settings);
        return classifier;
    }

    /**
     * The shadow judges (docs/calibration.md, "Judges"), comparing prose with the classifier's own
     * sentence model — or, when the classifier runs without embeddings, the same model loaded for them.
     */
    @Singleton
    ShadowJudges shadowJudges(
            RequestClassifier classifier,
            @Value("${tiergate.classifier.judges.fields-threshold:0.9}") double fieldsThreshold,
            @Value("${tiergate.classifier.judges.embedding-threshold:0.8}") double embeddingThreshold) {
        SentenceEmbedder embedder = classifier
                .embedder()
                .orElseGet(() -> Embedders.named(
                        TaskModel.loadDefault().embedderName(), 1, RequestClassifier.MAX_EMBEDDING_TOKENS));
        return new ShadowJudges(
                new FieldsJudge(fieldsThreshold), new EmbeddingJudge(embedder, embeddingThreshold), Clock.systemUTC());
    }
}
