package io.tiergate.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees when tiergate is not running (or runs elsewhere): a reason and what to do, at
 * once, not a Kafka client's 30 s timeout or an exception's class name.
 */
class NothingRunningTest {

    /** A port nothing listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aKafkaCommandWithoutABrokerSaysSoNamingTheAddress() throws Exception {
        String bootstrap = "127.0.0.1:" + closedPort();
        // bounded by the future's deadline, not measured: a Kafka client would have retried for ~30 s
        Cli.Run run = CompletableFuture.supplyAsync(() -> Cli.run("budget", "show", "--bootstrap", bootstrap))
                .get(15, TimeUnit.SECONDS);
        run.failsWith("no Kafka broker answered at " + bootstrap)
                .failsWith("Is tiergate running (./tiergate up)? Otherwise pass --bootstrap host:port");
    }

    @Test
    void aBootstrapEntryThatIsNotHostAndPortIsNamed() {
        Cli.run("rules", "show", "--bootstrap", "localhost").failsWith("'localhost' is not host:port");
    }

    @Test
    void anExportWithoutALedgerNamesTheLedgerAndWhatToDo() throws Exception {
        String ledger = "http://127.0.0.1:" + closedPort();
        Cli.run("costs", "export", "--from", "2026-11-01", "--to", "2026-11-02", "--ledger-url", ledger)
                .failsWith("nothing answered at " + ledger + " (the ledger's API: connection refused)")
                .failsWith("Otherwise pass --ledger-url URL");
    }
}
