package io.campus.platform.common;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The route template a request is counted under in the HTTP metrics ({@code uri} tag) and named by
 * in traces. Quarkus REST records it once it has matched a resource method; a request answered
 * before that — by a pre-matching filter such as the rate limit or the body limit — gets the
 * template of the resource method its path and method would have reached, so its refusal counts
 * where the route's other answers do. A path or method no resource serves gets none and is tagged
 * with a placeholder ({@code UNKNOWN}, {@code NOT_FOUND}), never with the path a client chose.
 */
public class RouteTemplates {

  /** Where Quarkus REST leaves a request's route template, in the request's Vert.x context. */
  public static final String KEY = "UrlPathTemplate";

  /** The request's route template, or null when none was recorded. */
  public static String of(HttpServerRequest http) {
    return context(http).getLocal(KEY) instanceof String template ? template : null;
  }

  static void record(HttpServerRequest http, String template) {
    context(http).putLocal(KEY, template);
  }

  @ServerResponseFilter
  public void ofAnswerBeforeMatching(ContainerRequestContext request, HttpServerRequest http) {
    if (of(http) != null) {
      return;
    }
    String template = AllowedMethods.currentRoute().templateFor(request.getMethod());
    if (template != null) {
      record(http, template);
    }
  }

  private static Context context(HttpServerRequest http) {
    return ((HttpServerRequestInternal) http).context();
  }
}
