package io.tiergate.localworker.model;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP client for local model servers. */
public final class LocalHttp {

  private LocalHttp() {}

  /**
   * HTTP/1.1 explicitly: over plain {@code http://} the JDK client would otherwise offer an h2c
   * upgrade, which some local servers answer badly; streaming needs nothing HTTP/2 offers.
   */
  public static HttpClient client(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }
}
