package io.tiergate.localworker.capacity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission to the local model, a bounded queue in front of a fixed number of streams: how much
 * the local machine takes at once. {@code streams} calls run concurrently (a consumer GPU
 * serves one stream well; default 1), at most {@code queueLimit} more wait their turn. A request that
 * finds the queue full is either handed on (the caller's decision) or held back until a place frees.
 *
 * <p>Admission and running are separate: {@link #tryAdmit()} takes a place in the queue or fails at
 * once, {@link Ticket#awaitStream()} then waits for a stream. The queue depth the router sees is
 * everything admitted or held back that is not running yet.
 */
public final class AdmissionQueue {

    private final int streams;
    private final int queueLimit;
    private final Runnable onChange;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition admissionFreed = lock.newCondition();
    private final Condition streamFreed = lock.newCondition();
    private int admitted;
    private int running;
    private int heldBack;

    public AdmissionQueue(int streams, int queueLimit, Runnable onChange) {
        if (streams < 1 || queueLimit < 0) {
            throw new IllegalArgumentException(
                    "streams must be >= 1 and queueLimit >= 0, were " + streams + ", " + queueLimit);
        }
        this.streams = streams;
        this.queueLimit = queueLimit;
        this.onChange = onChange;
    }

    /** A place in the queue if there is one now. */
    public Optional<Ticket> tryAdmit() {
        lock.lock();
        try {
            if (admitted >= streams + queueLimit) {
                return Optional.empty();
            }
            admitted++;
        } finally {
            lock.unlock();
        }
        onChange.run();
        return Optional.of(new Ticket());
    }

    /** Waits up to {@code maxWait} for a place in the queue (for work that may not be handed on). */
    public Optional<Ticket> admitWithin(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        lock.lock();
        try {
            heldBack++;
            try {
                while (admitted >= streams + queueLimit) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    admissionFreed.awaitNanos(left);
                }
                admitted++;
            } finally {
                heldBack--;
            }
        } finally {
            lock.unlock();
            onChange.run();
        }
        return Optional.of(new Ticket());
    }

    /** Requests waiting for a stream: queued plus held back. */
    public int queueDepth() {
        lock.lock();
        try {
            return admitted - running + heldBack;
        } finally {
            lock.unlock();
        }
    }

    public int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    public int streams() {
        return streams;
    }

    public int queueLimit() {
        return queueLimit;
    }

    /** A place in the queue; {@link #close()} gives it (and the stream, if it got one) back. */
    public final class Ticket implements AutoCloseable {
        private boolean streaming;
        private boolean closed;

        private Ticket() {}

        /** Waits for a stream; queued tickets get one in arrival order (the lock is fair). */
        public void awaitStream() throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (running >= streams) {
                    streamFreed.await();
                }
                running++;
                streaming = true;
            } finally {
                lock.unlock();
            }
            onChange.run();
        }

        /** Waits at most {@code maxWait} for a stream. */
        public boolean awaitStream(Duration maxWait) throws InterruptedException {
            long deadline = System.nanoTime() + maxWait.toNanos();
            lock.lockInterruptibly();
            try {
                while (running >= streams) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    streamFreed.awaitNanos(left);
                }
                running++;
                streaming = true;
            } finally {
                lock.unlock();
            }
            onChange.run();
            return true;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (streaming) {
                    running--;
                    streamFreed.signal();
                }
                admitted--;
                admissionFreed.signal();
            } finally {
                lock.unlock();
            }
            onChange.run();
        }
    }
}
