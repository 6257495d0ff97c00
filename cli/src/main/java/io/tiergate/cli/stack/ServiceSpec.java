package io.tiergate.cli.stack;

import java.util.List;

/** One of the services (the five of the pipeline and the gateway): its module, main class and HTTP port. */
public record ServiceSpec(String module, String mainClass, String portVariable, int port) {

    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec(
                    "classifier-service",
                    "io.tiergate.classifier.ClassifierApplication",
                    "TIERGATE_CLASSIFIER_PORT",
                    8091),
            new ServiceSpec("router-service", "io.tiergate.router.RouterApplication", "TIERGATE_ROUTER_PORT", 8092),
            new ServiceSpec(
                    "local-worker",
                    "io.tiergate.localworker.LocalWorkerApplication",
                    "TIERGATE_LOCAL_WORKER_PORT",
                    8093),
            new ServiceSpec(
                    "cloud-worker",
                    "io.tiergate.cloudworker.CloudWorkerApplication",
                    "TIERGATE_CLOUD_WORKER_PORT",
                    8094),
            new ServiceSpec("ledger-streams", "io.tiergate.ledger.LedgerApplication", "TIERGATE_LEDGER_PORT", 8095),
            new ServiceSpec("gateway", "io.tiergate.gateway.GatewayApplication", "TIERGATE_GATEWAY_PORT", 8080));

    /** The same service on another HTTP port. */
    public ServiceSpec onPort(int otherPort) {
        return new ServiceSpec(module, mainClass, portVariable, otherPort);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }
}
