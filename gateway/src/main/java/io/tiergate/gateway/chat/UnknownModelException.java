package io.tiergate.gateway.chat;

/** A {@code model} that is neither a tiergate alias nor a model of the price table. */
public final class UnknownModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownModelException(String model) {
        super("The model '" + model + "' does not exist: use " + ModelCatalog.AUTO + ", " + ModelCatalog.LOCAL
                + " or a model listed by GET /v1/models.");
    }

    public ApiError toError() {
        return ApiError.notFound("model", "model_not_found", getMessage());
    }
}
