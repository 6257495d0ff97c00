package io.tiergate.classifier.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.tiergate.classifier.classify.RequestClassifier;
import io.tiergate.classifier.config.ClassifierConfiguration;

/**
 * The classifier as a bean, built at start-up ({@code @Context}: the model loads before the service
 * reports healthy, not on the first record). Not in the CLI environment, whose batch mode builds
 * its own through {@link io.tiergate.classifier.batch.BatchClassifier#createDefault()}.
 */
@Factory
@Requires(notEnv = Environment.CLI)
public class ClassifierBeans {

  @Context
  RequestClassifier requestClassifier(ClassifierConfiguration configuration) {
    return RequestClassifier.create(configuration.toSettings());
  }
}
