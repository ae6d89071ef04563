package io.campus.platform.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
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
    // A percent-encoded NUL can reach no resource usefully (PostgreSQL cannot compare text with
    // one, the statement would fail without naming the parameter): refuse it here, by name.
    router
        .route()
        .order(-3)
        .handler(
            ctx -> {
              String uri = ctx.request().uri();
              if (uri.contains("%00")) {
                writeNul(ctx, uri);
              } else {
                ctx.next();
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

  private void writeNul(RoutingContext ctx, String uri) {
    List<Problem.FieldError> errors = new ArrayList<>();
    try {
      QueryStringDecoder decoded = new QueryStringDecoder(uri);
      if (decoded.path().indexOf('\0') >= 0) {
        errors.add(new Problem.FieldError("path", StrictJson.NUL_MESSAGE));
      }
      decoded.parameters().entrySet().stream()
          .filter(
              p ->
                  p.getKey().indexOf('\0') >= 0
                      || p.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0))
          .map(p -> new Problem.FieldError(p.getKey().replace('\0', '?'), StrictJson.NUL_MESSAGE))
          .sorted(Comparator.comparing(Problem.FieldError::field))
          .forEach(errors::add);
    } catch (IllegalArgumentException malformed) {
      // Not decodable at all: the generic 400 below says enough.
    }
    write(
        ctx,
        new Problem(
            "about:blank",
            "Invalid request",
            400,
            "The request has invalid fields.",
            null,
            errors.isEmpty() ? null : errors));
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
