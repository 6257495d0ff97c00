package io.tiergate.gateway.chat;

/** A chat completion request the gateway refuses, naming the field ({@code param}) that is wrong. */
public final class InvalidChatRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String param;

    public InvalidChatRequestException(String param, String message) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }

    public ApiError toError() {
        return ApiError.invalidRequest(param, getMessage());
    }
}
