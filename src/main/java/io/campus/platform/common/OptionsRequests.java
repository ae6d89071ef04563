package io.campus.platform.common;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers OPTIONS with the methods of the path asked about, the same list a 405 on that path gives.
 * CORS preflights never get here: the CORS filter answers them before Quarkus REST runs.
 */
public class OptionsRequests {

  @ServerRequestFilter(preMatching = true)
  public Response options(ContainerRequestContext request, RoutingContext http) {
    if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
      return null;
    }
    AllowedMethods.Route route = AllowedMethods.currentRoute();
    if (route.methods().isEmpty()) {
      return ProblemMapper.toResponse(ProblemException.notFound(ProblemMapper.detailFor(404)));
    }
    // Answered before any resource method matched: without its template the metrics would be
    // tagged with the raw path, one time series per id a client makes up.
    RouteTemplates.record(http.request(), route.template());
    return Response.ok().header(HttpHeaders.ALLOW, AllowedMethods.header(route.methods())).build();
  }
}
