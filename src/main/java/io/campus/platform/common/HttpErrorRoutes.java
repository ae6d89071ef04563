package io.campus.platform.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Errors raised by the HTTP layer before a request reaches a resource (unknown path, body over the
 * size limit) get the same problem+json shape as the API's own errors.
 */
@ApplicationScoped
public class HttpErrorRoutes {

  private final ObjectMapper mapper;
  private final Optional<MemorySize> maxBodySize;

  public HttpErrorRoutes(
      ObjectMapper mapper,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size")
          Optional<MemorySize> maxBodySize) {
    this.mapper = mapper;
    this.maxBodySize = maxBodySize;
  }

  void install(@Observes Router router) {
    for (int status : new int[] {400, 404, 405, 413, 414, 431}) {
      router.errorHandler(status, ctx -> write(ctx, status));
    }
    // An escape for a NUL or for bytes that are not UTF-8 can reach no resource usefully (see
    // PercentEscapes): refuse it here, by name, before any statement runs.
    router
        .route()
        .order(-3)
        .handler(
            ctx -> {
              String uri = ctx.request().uri();
              List<Problem.FieldError> errors =
                  uri.indexOf('%') < 0 ? List.of() : PercentEscapes.errors(uri);
              if (errors.isEmpty()) {
                ctx.next();
              } else {
                write(
                    ctx,
                    new Problem(
                        "about:blank",
                        "Invalid request",
                        400,
                        "The request has invalid fields.",
                        null,
                        errors));
              }
            });
    // Quarkus refuses a declared Content-Length over the limit with an empty 413 at route order
    // -2; answer those first, with the same problem document and the connection closed.
    maxBodySize.ifPresent(
        max ->
            router
                .route()
                .order(-3)
                .handler(
                    ctx -> {
                      String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
                      if (length != null && tooLong(length, max.asLongValue())) {
                        ctx.response().putHeader("Connection", "close");
                        ctx.response().endHandler(v -> ctx.request().connection().close());
                        write(ctx, 413);
                      } else {
                        ctx.next();
                      }
                    }));
  }

  private static boolean tooLong(String length, long max) {
    try {
      return Long.parseLong(length.trim()) > max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void write(RoutingContext ctx, int status) {
    Response.StatusType type = Response.Status.fromStatusCode(status);
    write(
        ctx,
        new Problem(
            "about:blank",
            type != null ? type.getReasonPhrase() : "Error",
            status,
            ProblemMapper.detailFor(status),
            null,
            null));
  }

  private void write(RoutingContext ctx, Problem problem) {
    if (ctx.response().headWritten()) {
      return;
    }
    int status = problem.status();
    try {
      ctx.response()
          .setStatusCode(status)
          .putHeader("Content-Type", Problem.MEDIA_TYPE)
          .end(mapper.writeValueAsString(problem));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      ctx.response().setStatusCode(status).end();
    }
  }
}
