package io.tiergate.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.tiergate.platform.kafka.BatchRetry;
import io.tiergate.platform.kafka.RetryingBatchListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering docs/contributing.md asks for, checked over the main classes of every module (the
 * e2e module's test class path holds them all): pure policy code imports no Kafka and no Micronaut,
 * services never import each other, and only the Kafka wiring creates Kafka clients.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // worker-core's test-jar (its test servers, used by the e2e tests): tests too, though
                // a packaged jar rather than a test-classes folder
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.tiergate");
    }

    /** Decision logic in plain classes: unit-testable without a broker or a Micronaut context. */
    @Test
    void policyPackagesImportNoKafkaAndNoMicronaut() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.tiergate.router.policy..",
                        "io.tiergate.router.budget..",
                        "io.tiergate.schemas.cost..",
                        "io.tiergate.schemas.policy..",
                        "io.tiergate.schemas.money..",
                        "io.tiergate.classifier.classify..",
                        "io.tiergate.classifier.sensitive..",
                        "io.tiergate.classifier.complexity..",
                        "io.tiergate.worker.runtime..",
                        "io.tiergate.worker.work..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.micronaut..")
                .check(classes);
    }

    /** Services talk over topics, never through each other's classes (the CLI may use their plain classes). */
    @Test
    void servicesNeverImportEachOther() {
        String[] services = {
            "io.tiergate.classifier..",
            "io.tiergate.router..",
            "io.tiergate.localworker..",
            "io.tiergate.cloudworker..",
            "io.tiergate.ledger..",
            "io.tiergate.gateway.."
        };
        for (String service : services) {
            String[] others = java.util.Arrays.stream(services)
                    .filter(s -> !s.equals(service))
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage(service)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .because("services communicate over Kafka topics only")
                    .check(classes);
        }
    }

    /**
     * Kafka clients are created by platform (and its read/ helpers) and by the kafka/ wiring packages.
     * Listed exceptions: the operator CLI's one-shot clients (demo request sender, topic set-up of the
     * local stack, the budget writer behind {@code ./tiergate budget}), which run in the CLI process,
     * not in a service.
     */
    @Test
    void onlyPlatformAndKafkaPackagesCreateKafkaClients() {
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.tiergate.platform..",
                        "..kafka..",
                        "io.tiergate.testkit..",
                        "io.tiergate.cli..",
                        "io.tiergate.ledger.cli..")
                .should()
                .callConstructor(org.apache.kafka.clients.producer.KafkaProducer.class, java.util.Map.class)
                .orShould()
                .callConstructor(
                        org.apache.kafka.clients.producer.KafkaProducer.class,
                        java.util.Map.class,
                        org.apache.kafka.common.serialization.Serializer.class,
                        org.apache.kafka.common.serialization.Serializer.class)
                .orShould()
                .callConstructor(org.apache.kafka.clients.consumer.KafkaConsumer.class, java.util.Map.class)
                .orShould()
                .callConstructor(
                        org.apache.kafka.clients.consumer.KafkaConsumer.class,
                        java.util.Map.class,
                        org.apache.kafka.common.serialization.Deserializer.class,
                        org.apache.kafka.common.serialization.Deserializer.class)
                .orShould()
                .callMethod(org.apache.kafka.clients.admin.Admin.class, "create", java.util.Map.class)
                .check(classes);
    }

    /**
     * A {@link RetryingBatchListener} method takes the batch's {@code Consumer} and hands its work to
     * {@link BatchRetry}, which rewinds a failed batch itself: micronaut-kafka 5.9.0's own retry
     * skips a batch that fails on the first poll after an assignment.
     */
    @Test
    void retryingBatchListenersRewindFailedBatchesThroughBatchRetry() {
        methods()
                .that()
                .areDeclaredInClassesThat()
                .areAnnotatedWith(RetryingBatchListener.class)
                .and()
                .areAnnotatedWith(Topic.class)
                .should(new ArchCondition<>("take the Consumer and call BatchRetry.run") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaMethod method, ConditionEvents events) {
                        boolean takesConsumer = method.getRawParameterTypes().stream()
                                .anyMatch(t -> t.isEquivalentTo(org.apache.kafka.clients.consumer.Consumer.class));
                        boolean callsRetry = method.getMethodCallsFromSelf().stream()
                                .anyMatch(call -> call.getTargetOwner().isEquivalentTo(BatchRetry.class)
                                        && call.getName().equals("run"));
                        events.add(new SimpleConditionEvent(
                                method,
                                takesConsumer && callsRetry,
                                method.getFullName()
                                        + (takesConsumer ? "" : " takes no Consumer")
                                        + (callsRetry ? "" : " does not call BatchRetry.run")));
                    }
                })
                .check(classes);
    }
}
