package io.tiergate.worker.http;

/**
 * Who answers a model call over HTTP. The wire protocols are the same either way (an Ollama, a
 * llama.cpp and OpenRouter all stream chat completions); what differs is what a failure or a
 * missing figure means for the worker that made the call. Every difference is listed here.
 */
public enum ServerKind {

    /**
     * A provider's API (OpenRouter, OpenAI, Anthropic, a gateway): accounts, keys, quotas, rate
     * limits, billed per token.
     *
     * <ul>
     *   <li>statuses ({@link HttpErrors}): 429, 408, 409, 5xx and Anthropic's 529 are retryable with
     *       the server's Retry-After; 401 {@code unauthorized}, 402 {@code payment_required}, 403
     *       {@code forbidden}, 404 {@code model_not_found} and every other 4xx ({@code http_<status>})
     *       are not; Anthropic's spend-cap 429 is not retryable ({@code spend_limit_reached});
     *   <li>an error object inside a 200 answer is typed by its numeric {@code code} like a status
     *       (429 {@code rate_limited}, other 4xx {@code http_<code>}, else {@code provider_error});
     *   <li>never $0 by omission: a chat completion without usage is billed as estimated tokens
     *       (the classifier's input estimate, output characters / 4), and so is a stream cut off
     *       before its end (an Anthropic message without usage is MALFORMED; a cut-off Anthropic
     *       stream bills what its events reported).
     * </ul>
     */
    PROVIDER_API,

    /**
     * A model server on this machine (Ollama, llama.cpp server, vLLM, LM Studio): no accounts, billed
     * by the time it keeps the machine busy, so tokens are only reported, never estimated.
     *
     * <ul>
     *   <li>statuses ({@link HttpErrors}): 404 {@code model_not_found}; 400, 413, 422
     *       {@code bad_request} (the request's fault, not the server's); 408 and 504 a timeout; any
     *       other status {@code http_<status>}, retryable — the server is unwell;
     *   <li>an error object inside a 200 answer (mid-stream) is {@code server_error}, retryable;
     *   <li>usage the server did not report is 0; a stream cut off before its end reports no
     *       tokens (the local worker bills its time either way);
     *   <li>an inline {@code <think>…</think>} block (a thinking model whose template ignored
     *       {@code think: false}) is removed from the answer.
     * </ul>
     */
    LOCAL_SERVER
}
