package io.tiergate.schemas.results;

/** Names of {@code InferenceRequest.attributes} entries that more than one module reads or writes. */
public final class RequestAttributes {

    /**
     * The task type a request really is (a labelled workload line's {@code label}, set by
     * {@code ./tiergate demo}). Only the simulated backend reads it: its answer is as long as that
     * type's answers are, as a real model's answer is as long as the task needs, whatever the
     * classifier called it. The classifier and the router never read it.
     */
    public static final String SIMULATION_TASK_TYPE = "tiergate.simulation.task-type";

    /**
     * {@code "true"} when the client asked for the answer as it is produced ({@code stream: true},
     * set by the gateway): workers then publish the answer's pieces to {@code inference.stream}
     * besides the final result (docs/gateway.md, "Streaming"). Absent: no chunks.
     */
    public static final String STREAM = "tiergate.stream";

    /**
     * The {@code model} a gateway client asked for ({@code tiergate/auto}, {@code tiergate/local} or a
     * model of the price table). A model of the price table pins the request to that model when the
     * routing policy allows it (the router's PINNED rule, docs/architecture.md, "Policy order"); an
     * alias pins nothing.
     */
    public static final String REQUESTED_MODEL = "tiergate.requested-model";

    private RequestAttributes() {}
}
