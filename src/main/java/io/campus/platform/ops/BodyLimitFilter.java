package io.campus.platform.ops;

import io.campus.platform.common.ProblemException;
import io.campus.platform.common.ProblemMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bounds request bodies before anything reads them. A declared length over the limit never gets
 * here (Quarkus answers it at the door); a body sent without one (chunked) is counted as it arrives
 * and refused with a problem+json 413 as soon as it passes the limit. Left to Quarkus REST, such a
 * body was read with blocking I/O on a worker thread, answered with an empty 413, and then logged
 * an error with a stack trace for every request: a cheap way to flood the logs.
 */
public class BodyLimitFilter {

  private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Uni<Response> NONE = Uni.createFrom().nullItem();

  /**
   * Login and registration bodies are small; a declared length over it is refused before the body
   * is read, an undeclared (chunked) one as soon as more has arrived.
   */
  static final long MAX_AUTH_BODY = 4096;

  private final long maxBody;

  public BodyLimitFilter(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
    this.maxBody = maxBody.asLongValue();
  }

  @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
  public Uni<Response> bound(ContainerRequestContext request, HttpServerRequest http) {
    if (!WITH_BODY.contains(request.getMethod())) {
      return NONE;
    }
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/api/")) {
      return NONE;
    }
    boolean auth = isAuth(path);
    long limit = auth ? MAX_AUTH_BODY : maxBody;
    // a declared length over max-body-size was answered at the door (HttpErrorRoutes)
    if (auth && request.getLength() > limit) {
      return Uni.createFrom().item(tooLarge(true, limit));
    }
    if (request.getLength() >= 0 || http.isEnded()) {
      return NONE;
    }
    return cappedBody(http, limit)
        .map(
            body -> {
              if (body == null) {
                closeWhenDone(http);
                return tooLarge(auth, limit);
              }
              request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
              return null;
            });
  }

  static boolean isAuth(String path) {
    return path.startsWith("/api/auth/login")
        || path.startsWith("/api/auth/register")
        || path.startsWith("/api/auth/password")
        || path.startsWith("/api/auth/confirm-email");
  }

  private static Response tooLarge(boolean auth, long limit) {
    return ProblemMapper.toResponse(
        new ProblemException(
            413,
            // the title every other 413 of Campus carries (HttpErrorRoutes)
            Response.Status.REQUEST_ENTITY_TOO_LARGE.getReasonPhrase(),
            (auth ? "Login and registration bodies are" : "Request bodies are")
                + " limited to "
                + limit
                + " bytes."));
  }

  /**
   * The request body, or null as soon as more than {@code limit} bytes arrived: nothing beyond the
   * limit is kept, the rest is read and dropped so the answer can be sent at once.
   */
  private static Uni<Buffer> cappedBody(HttpServerRequest http, long limit) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Buffer body = Buffer.buffer();
              boolean[] over = {false};
              http.handler(
                  chunk -> {
                    if (over[0]) {
                      return;
                    }
                    if (body.length() + chunk.length() > limit) {
                      over[0] = true;
                      emitter.complete(null);
                    } else {
                      body.appendBuffer(chunk);
                    }
                  });
              // a malformed chunk: the client's fault, answered as such (the codec closes the
              // connection after it), not an unexpected failure of ours
              http.exceptionHandler(
                  e ->
                      emitter.fail(
                          new ProblemException(
                              400, "Bad Request", "The request body is not well-formed HTTP.")));
              http.endHandler(
                  v -> {
                    if (!over[0]) {
                      emitter.complete(body);
                    }
                  });
              http.resume();
            });
  }

  /**
   * The refused body may still be arriving: the answer says the connection ends, and it ends once
   * both the answer and the body are through (closing earlier would reset the answer away).
   */
  private static void closeWhenDone(HttpServerRequest http) {
    if (http.version() == HttpVersion.HTTP_2) {
      return;
    }
    http.response().putHeader("Connection", "close");
    Runnable close =
        () -> {
          if (http.isEnded() && http.response().ended()) {
            http.connection().close();
          }
        };
    http.response().endHandler(v -> close.run());
    http.endHandler(v -> close.run());
  }
}
