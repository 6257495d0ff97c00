package io.tiergate.testkit;

/**
 * Stops a child process (or a set of them) when this JVM ends before its owner stopped it: Ctrl-C
 * or SIGTERM of a command, or a test JVM that exits. Java does not end child processes with their
 * parent; without this, an interrupted {@code ./tiergate bench} left its services running, holding
 * their ports for the next run.
 */
public final class ExitHook {

    private final Thread thread;

    private ExitHook(Thread thread) {
        this.thread = thread;
    }

    /** Registers {@code stop} to run at JVM exit, on a thread called {@code name}. */
    public static ExitHook register(String name, Runnable stop) {
        Thread thread = new Thread(stop, name);
        Runtime.getRuntime().addShutdownHook(thread);
        return new ExitHook(thread);
    }

    /**
     * The owner stopped what the hook would stop: the hook is no longer needed. Called from the hook
     * itself, or while the JVM is already exiting, it does nothing (the hook runs, or has run).
     */
    public void cancel() {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs and finds nothing left to stop
        }
    }
}
