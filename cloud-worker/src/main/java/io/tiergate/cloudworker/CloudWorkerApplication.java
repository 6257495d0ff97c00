package io.tiergate.cloudworker;

import io.micronaut.runtime.Micronaut;

/** Entry point of the cloud-worker; the flow lives in the named classes of this package. */
public final class CloudWorkerApplication {

    private CloudWorkerApplication() {}

    public static void main(String[] args) {
        Micronaut.run(CloudWorkerApplication.class, args);
    }
}
