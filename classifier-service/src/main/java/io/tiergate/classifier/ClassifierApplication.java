package io.tiergate.classifier;

import io.micronaut.runtime.Micronaut;

/** Entry point of the classifier-service; the flow lives in the named classes of this package. */
public final class ClassifierApplication {

    private ClassifierApplication() {}

    public static void main(String[] args) {
        Micronaut.run(ClassifierApplication.class, args);
    }
}
