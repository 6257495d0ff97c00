package io.tiergate.localworker.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP exchange read line by line (NDJSON or SSE) with three deadlines: first byte, idle between
 * lines, and total. The JDK client pushes lines into a queue; the calling thread pulls them with a
 * timeout, so a silent server can always be abandoned (the subscription is cancelled, which closes
 * the connection) instead of blocking a worker thread forever.
 */
final class HttpLines implements AutoCloseable {

  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final long startNanos = System.nanoTime();
  private final EndpointSettings settings;
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;
  private int status = -1;

  private HttpLines(EndpointSettings settings) {
    this.settings = settings;
  }

  /**
   * POSTs {@code body} as JSON to {@code uri} and waits for a 2xx response head. Any other status is
   * read to the end and thrown as {@link WireJson#statusError}; a 2xx exchange is the caller's to
   * read and close.
   */
  static HttpLines postJson(HttpClient client, URI uri, String accept, ObjectNode body, EndpointSettings settings)
      throws LocalModelException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .header("Accept", accept)
            .POST(HttpRequest.BodyPublishers.ofByteArray(WireJson.bytes(body)))
            .build();
    HttpLines lines = open(client, request, settings);
    if (lines.status() / 100 != 2) {
      try (lines) {
        throw WireJson.statusError(lines.status(), lines.remainingBody(), uri.toString(), lines.elapsed());
      }
    }
    return lines;
  }

  /** Sends {@code request} and waits for the response head (status line and headers). */
  static HttpLines open(HttpClient client, HttpRequest request, EndpointSettings settings)
      throws LocalModelException {
    HttpLines lines = new HttpLines(settings);
    client
        .sendAsync(
            request,
            info -> {
              lines.queue.add(new Head(info.statusCode()));
              return HttpResponse.BodySubscribers.fromLineSubscriber(lines.new Subscriber());
            })
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                lines.queue.add(new Failure(unwrap(error)));
              }
            });
    Object first = lines.poll(settings.firstByteTimeout(), "no response head");
    if (first instanceof Failure f) {
      throw lines.failure(f.error());
    }
    lines.status = ((Head) first).status();
    return lines;
  }

  int status() {
    return status;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** The next line, or null at the end of the body. */
  String nextLine() throws LocalModelException {
    Object item = poll(settings.idleTimeout(), "no data");
    if (item == END) {
      return null;
    }
    if (item instanceof Failure f) {
      throw failure(f.error());
    }
    return (String) item;
  }

  /** A failure found in what the server sent, with the status it answered and the time so far. */
  LocalModelException error(LocalModelException.Kind kind, String message) {
    return new LocalModelException(kind, status, message, elapsed(), null);
  }

  /** The rest of the body (for error bodies and non-streamed answers). */
  String remainingBody() throws LocalModelException {
    List<String> parts = new ArrayList<>();
    for (String line = nextLine(); line != null; line = nextLine()) {
      parts.add(line);
    }
    return String.join("\n", parts);
  }

  private Object poll(Duration stepTimeout, String what) throws LocalModelException {
    long remainingTotal = settings.totalTimeout().toNanos() - (System.nanoTime() - startNanos);
    long wait = Math.min(stepTimeout.toNanos(), Math.max(0, remainingTotal));
    Object item;
    try {
      item = queue.poll(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new LocalModelException(LocalModelException.Kind.TIMEOUT, 0, "interrupted", elapsed(), e);
    }
    if (item == null) {
      close();
      boolean total = remainingTotal <= stepTimeout.toNanos();
      throw new LocalModelException(
          LocalModelException.Kind.TIMEOUT,
          status,
          what + " from " + settings.baseUrl() + " within "
              + (total ? "the total timeout " + settings.totalTimeout() : stepTimeout),
          elapsed(),
          null);
    }
    return item;
  }

  private LocalModelException failure(Throwable error) {
    LocalModelException.Kind kind;
    String message;
    if (error instanceof HttpTimeoutException) {
      kind = LocalModelException.Kind.TIMEOUT;
      message = "timed out talking to " + settings.baseUrl() + ": " + error.getMessage();
    } else if (isUnreachable(error)) {
      kind = LocalModelException.Kind.UNREACHABLE;
      message = "nothing answers at " + settings.baseUrl() + " (" + error + ")";
    } else {
      kind = LocalModelException.Kind.PROTOCOL;
      message = "the response from " + settings.baseUrl() + " broke off: " + error;
    }
    return new LocalModelException(kind, Math.max(status, 0), message, elapsed(), error);
  }

  private static boolean isUnreachable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof IOException || t instanceof RuntimeException ? t : error;
  }

  /** Cancels the exchange (closes the connection) if it is still running. */
  @Override
  public void close() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private record Head(int status) {}

  private record Failure(Throwable error) {}

  private final class Subscriber implements Flow.Subscriber<String> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(String line) {
      queue.add(line);
    }

    @Override
    public void onError(Throwable error) {
      queue.add(new Failure(error));
    }

    @Override
    public void onComplete() {
      queue.add(END);
    }
  }
}
