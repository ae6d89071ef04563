package io.campus.blackbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP/1.1 client for black-box tests: JSON in, status and body out, never throwing. */
public final class Client {

  /** An answer, or status -1 with the I/O error when there was none. */
  public record Answer(int status, String body, HttpResponse<String> response, String error) {

    public String header(String name) {
      return response == null ? null : response.headers().firstValue(name).orElse(null);
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient http;
  private final Duration timeout;

  public Client(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  public Answer get(String url, String token) {
    return send(builder(url, token).GET());
  }

  public Answer post(String url, String token, String json, String... headers) {
    HttpRequest.Builder builder =
        builder(url, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return send(builder);
  }

  private HttpRequest.Builder builder(String url, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Answer send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(), response, null);
    } catch (IOException e) {
      return new Answer(-1, "", null, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, "", null, "interrupted");
    }
  }
}
