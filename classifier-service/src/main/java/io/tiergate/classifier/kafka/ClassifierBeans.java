package io.tiergate.classifier.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.config.ClassifierSettings;
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

    @Context
    RequestClassifier requestClassifier(ClassifierSettings settings) {
        long start = System.nanoTime();
        RequestClassifier classifier = RequestClassifier.create(settings);
        LOG.info(
                "Classifier {} ready in {} ms ({})",
                classifier.version(),
                (System.nanoTime() - start) / 1_000_000,
                settings);
        return classifier;
    }
}
