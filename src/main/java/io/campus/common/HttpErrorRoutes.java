package io.campus.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

/**
 * Errors raised by the HTTP layer before a request reaches a resource (unknown path, body over the
 * size limit) get the same problem+json shape as the API's own errors.
 */
@ApplicationScoped
public class HttpErrorRoutes {

  private final ObjectMapper mapper;

  public HttpErrorRoutes(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void install(@Observes Router router) {
    for (int status : new int[] {400, 404, 405, 413, 414, 431}) {
      router.errorHandler(status, ctx -> write(ctx, status));
    }
  }

  private void write(RoutingContext ctx, int status) {
    if (ctx.response().headWritten()) {
      return;
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    Problem problem =
        new Problem(
            "about:blank",
            type != null ? type.getReasonPhrase() : "Error",
            status,
            ProblemMapper.detailFor(status),
            null,
            null);
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
