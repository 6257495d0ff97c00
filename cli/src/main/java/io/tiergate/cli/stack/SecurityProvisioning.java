package io.tiergate.cli.stack;

import io.tiergate.platform.kafka.security.KafkaAccessPolicy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * Puts {@link KafkaAccessPolicy} in force on a cluster: SCRAM-SHA-512 credentials for the principals
 * given a password, then the policy's ACLs, waiting until the broker applies them. Idempotent (users
 * are upserted, an existing ACL is not duplicated). Used by {@code up --secure} and {@code tiergate
 * acls apply} (docker-compose's secure profile).
 */
public final class SecurityProvisioning {

    /** SCRAM iterations: Kafka's minimum for SHA-512 is 4096. */
    static final int SCRAM_ITERATIONS = 8192;

    private SecurityProvisioning() {}

    /** @return the number of ACL bindings in force */
    public static int apply(Admin admin, Map<String, String> passwordsByPrincipal, PrintStream out) {
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        passwordsByPrincipal.forEach((principal, password) -> users.add(new UserScramCredentialUpsertion(
                principal, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
        Set<AclBinding> acls = Set.copyOf(KafkaAccessPolicy.standard().aclBindings());
        try {
            if (!users.isEmpty()) {
                admin.alterUserScramCredentials(users).all().get(60, TimeUnit.SECONDS);
            }
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            // the controller has committed them; wait until the broker's authorizer has them too
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeAcls(AclBindingFilter.ANY)
                    .values()
                    .get(10, TimeUnit.SECONDS)
                    .containsAll(acls)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The broker did not apply the ACLs within 30 s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating principals and ACLs", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Cannot create the principals and ACLs: " + cause.getMessage(), cause);
        }
        out.printf(
                "[security] %d principals (SCRAM-SHA-512) and %d ACLs in force%n",
                passwordsByPrincipal.size(), acls.size());
        return acls.size();
    }
}
