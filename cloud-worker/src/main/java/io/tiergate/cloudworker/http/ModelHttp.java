package io.tiergate.cloudworker.http;

import io.tiergate.cloudworker.config.ModelEndpoint;
import io.tiergate.worker.backend.ModelCallException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POSTs JSON to a model API with one deadline for the whole exchange — connection, headers and
 * every byte of a (streamed) body. The JDK client's own request timeout only covers the headers, so
 * a watchdog closes the body stream when the deadline passes; a read that then fails is reported as
 * a timeout. Transport failures are typed for the retry policy.
 */
public final class ModelHttp implements AutoCloseable {

  private final HttpClient client;
  private final ScheduledExecutorService watchdog;

  public ModelHttp(Duration connectTimeout) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tiergate-model-http-deadlines");
              t.setDaemon(true);
              return t;
            });
  }

  /** An answered request whose body is being read; close it when done. */
  public static final class Exchange implements AutoCloseable {
    private final HttpResponse<InputStream> response;
    private final long startNanos;
    private final AtomicBoolean expired;
    private final ScheduledFuture<?> deadline;

    Exchange(HttpResponse<InputStream> response, long startNanos, AtomicBoolean expired, ScheduledFuture<?> deadline) {
      this.response = response;
      this.startNanos = startNanos;
      this.expired = expired;
      this.deadline = deadline;
    }

    public int status() {
      return response.statusCode();
    }

    public HttpHeaders headers() {
      return response.headers();
    }

    public InputStream body() {
      return response.body();
    }

    /** True when the deadline closed the body: a read failure after it is a timeout. */
    public boolean expired() {
      return expired.get();
    }

    public Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public byte[] readAll() throws IOException {
      return response.body().readAllBytes();
    }

    @Override
    public void close() {
      deadline.cancel(false);
      try {
        response.body().close();
      } catch (IOException e) {
        // nothing left to read
      }
    }
  }

  /** Reads the body of a 2xx answer into a result. */
  @FunctionalInterface
  public interface AnswerReader<T> {
    T read(Exchange exchange) throws IOException, ModelCallException;
  }

  /**
   * One call of a model API: POSTs {@code json} to {@code path} of {@code endpoint} with the
   * endpoint's extra headers, then {@code authHeaders}, then an {@code accept} matching
   * {@link ModelEndpoint#stream()}, and reads a 2xx answer with {@code reader}. Any other status is
   * {@link HttpErrors#toException} (typed, redacted, with the server's Retry-After, read on
   * {@code clock}). A read that fails after the deadline closed the body is a timeout; any other read
   * failure is MALFORMED (the connection dropped mid-answer).
   */
  public <T> T call(
      ModelEndpoint endpoint, String path, Map<String, String> authHeaders, byte[] json, Duration timeout, Clock clock,
      AnswerReader<T> reader)
      throws ModelCallException {
    Map<String, String> headers = new LinkedHashMap<>(endpoint.extraHeaders());
    headers.putAll(authHeaders);
    headers.put("accept", endpoint.stream() ? "text/event-stream" : "application/json");
    try (Exchange exchange = post(endpoint.resolve(path), headers, json, timeout)) {
      try {
        if (exchange.status() / 100 != 2) {
          throw HttpErrors.toException(exchange.status(), exchange.headers(), exchange.readAll(), endpoint.apiKey().reveal(), clock);
        }
        return reader.read(exchange);
      } catch (IOException e) {
        if (exchange.expired()) {
          throw ModelCallException.timeout(endpoint.model() + " did not finish within " + timeout, e);
        }
        throw ModelCallException.malformed(
            endpoint.model() + ": connection dropped while reading the answer (" + Redactor.clean(e.getMessage(), null) + ")", e);
      }
    }
  }

  public Exchange post(URI uri, Map<String, String> headers, byte[] json, Duration timeout) throws ModelCallException {
    long start = System.nanoTime();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    headers.forEach(request::header);
    CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response;
    try {
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw ModelCallException.timeout("no response from " + uri.getHost() + " within " + timeout, null);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw ModelCallException.timeout("interrupted while waiting for " + uri.getHost(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw ModelCallException.timeout("no response from " + uri.getHost() + " within " + timeout, cause);
      }
      if (cause instanceof ConnectException) {
        throw ModelCallException.retryable("connect_failed", "cannot connect to " + uri.getHost() + ":" + uri.getPort(), null, null);
      }
      throw ModelCallException.retryable(
          "io_error", "transport error talking to " + uri.getHost() + ": " + cause.getClass().getSimpleName(), null, null);
    }
    long leftNanos = Math.max(1, timeout.toNanos() - (System.nanoTime() - start));
    AtomicBoolean expired = new AtomicBoolean();
    InputStream body = response.body();
    ScheduledFuture<?> deadline =
        watchdog.schedule(
            () -> {
              expired.set(true);
              try {
                body.close();
              } catch (IOException e) {
                // closing is all we wanted
              }
            },
            leftNanos,
            TimeUnit.NANOSECONDS);
    return new Exchange(response, start, expired, deadline);
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
