package io.tiergate.cli.demo;

import io.tiergate.schemas.events.TaskType;
import java.util.Optional;

/**
 * One line of a workload file (JSONL): a request to send, and, when the line is labelled, what its
 * type really is and whether it really holds sensitive data (for the demo's classifier report).
 */
public record WorkloadItem(
        int line,
        String prompt,
        String costCenter,
        boolean requiresDataSovereignty,
        Optional<Long> latencyBudgetMs,
        Optional<String> taskTypeHint,
        Optional<TaskType> expectedTaskType,
        Optional<Boolean> sensitive) {}
