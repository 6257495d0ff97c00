package io.tiergate.worker.work;

/**
 * A worker attempted to hand a sovereign request towards the cloud tier (escalation, fallback).
 * Always a bug; never retried. (The router's counterpart, refused at the cloud topic, is
 * router-service's {@code CloudSendRefusedException}.)
 */
public class SovereigntyViolationException extends IllegalStateException {

    public SovereigntyViolationException(String message) {
        super(message);
    }
}
