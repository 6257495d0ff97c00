package io.tiergate.gateway.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.CompletableFuture;

/**
 * Cancels a waiting call when its client's connection closes (docs/gateway.md, "Correlation"): the
 * server does not cancel a pending response by itself, so the gateway listens on the connection.
 * The listener is removed when the call ends, so a keep-alive connection carrying many calls
 * collects none.
 */
final class ClientDisconnect {

    private ClientDisconnect() {}

    static void cancelOnClose(HttpRequest<?> request, CompletableFuture<?> call) {
        if (!(request instanceof NettyHttpRequest<?> netty)) {
            return;
        }
        ChannelFuture closed = netty.getChannelHandlerContext().channel().closeFuture();
        GenericFutureListener<ChannelFuture> onClose = f -> call.cancel(false);
        closed.addListener(onClose);
        call.whenComplete((r, e) -> closed.removeListener(onClose));
    }
}
