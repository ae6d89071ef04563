package io.campus.platform.common;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Headers every API response carries, errors raised by the HTTP layer included: the API serves JSON
 * only, so nothing may be sniffed, framed or load sub-resources, and no URL leaks through a
 * referrer. HSTS is sent only when the request arrived over TLS (directly or, with forwarding
 * configured, at the trusted proxy): over plain HTTP it would be ignored anyway.
 */
@ApplicationScoped
public class SecurityHeaders {

  static final String CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
  static final String HSTS = "max-age=31536000; includeSubDomains";

  void install(@Observes Router router) {
    // First of all routes, so the headers are set even on answers that never reach a resource.
    router
        .route()
        .order(-10)
        .handler(
            ctx -> {
              HttpServerRequest request = ctx.request();
              boolean tls = request.isSSL() || "https".equalsIgnoreCase(request.scheme());
              boolean ui = request.path().startsWith("/q/");
              ctx.addHeadersEndHandler(v -> apply(ctx.response(), tls, ui));
              ctx.next();
            });
  }

  private static void apply(HttpServerResponse response, boolean tls, boolean ui) {
    var headers = response.headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    if (!ui) {
      // the dev-mode Swagger UI under /q/ loads scripts; the API itself never needs any
      headers.set("Content-Security-Policy", CSP);
    }
    if (tls) {
      headers.set("Strict-Transport-Security", HSTS);
    }
  }
}
