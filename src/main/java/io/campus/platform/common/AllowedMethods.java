package io.campus.platform.common;

import java.util.Set;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.Deployment;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

/**
 * The methods a path is served with, for the Allow header of a 405.
 *
 * <p>Read from Quarkus REST's own routing tables, walked the way a request is (every resource class
 * whose path matches, then the method templates of each), so the list cannot drift from what a
 * request with that method would get. Quarkus REST's own 405 lists none.
 */
final class AllowedMethods {

  private record Routes(Deployment deployment, RequestMapper<InitialMatch> classes) {}

  // Built once per deployment (dev mode replaces it on reload); the mapper is read-only.
  private static volatile Routes routes;

  private AllowedMethods() {}

  /** For the request being handled; empty outside one or when no resource serves its path. */
  static Set<String> ofCurrentRequest() {
    ResteasyReactiveRequestContext request = CurrentRequestManager.get();
    if (request == null) {
      return Set.of();
    }
    return of(request.getDeployment(), request.getPathWithoutPrefix());
  }

  static Set<String> of(Deployment deployment, String path) {
    RequestMapper<InitialMatch> classes = classes(deployment);
    Set<String> allowed = new TreeSet<>();
    for (RequestMapper.RequestMatch<InitialMatch> match = classes.map(path);
        match != null;
        match = classes.continueMatching(path, match)) {
      String remaining = match.remaining.isEmpty() ? "/" : match.remaining;
      for (ServerRestHandler handler : match.value.handlers) {
        if (handler instanceof ClassRoutingHandler routing) {
          // The null key holds sub-resource locators, which Campus does not use.
          routing
              .getMappers()
              .forEach(
                  (method, methods) -> {
                    if (method != null && methods.map(remaining) != null) {
                      allowed.add(method);
                    }
                  });
        }
      }
    }
    if (allowed.isEmpty()) {
      return Set.of();
    }
    // Quarkus REST answers HEAD with the GET method, and OPTIONS on every path it serves.
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    allowed.add("OPTIONS");
    return allowed;
  }

  /** The methods as an Allow header value. */
  static String header(Set<String> allowed) {
    return String.join(", ", allowed);
  }

  private static RequestMapper<InitialMatch> classes(Deployment deployment) {
    Routes current = routes;
    if (current == null || current.deployment() != deployment) {
      current = new Routes(deployment, new RequestMapper<>(deployment.getClassMappers()));
      routes = current;
    }
    return current.classes();
  }
}
