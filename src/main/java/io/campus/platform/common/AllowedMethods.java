package io.campus.platform.common;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.Deployment;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.mapping.URITemplate;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

/**
 * The methods a path is served with, for the Allow header of a 405 and of an OPTIONS answer.
 *
 * <p>Read from Quarkus REST's own routing tables, walked the way a request is (every resource class
 * whose path matches, then the method templates of each), so the list cannot drift from what a
 * request with that method would get. Quarkus REST's own OPTIONS answer lists every method of the
 * matched classes, whatever the rest of the path; its 405 lists none.
 */
final class AllowedMethods {

  private record Routes(Deployment deployment, RequestMapper<InitialMatch> classes) {}

  // Built once per deployment (dev mode replaces it on reload); the mapper is read-only.
  private static volatile Routes routes;

  private AllowedMethods() {}

  /**
   * The methods of a path, the route template of the first resource method matching it (null when
   * none does), and the template of the first one matching it for each method.
   */
  record Route(Set<String> methods, String template, Map<String, String> templates) {
    static final Route NONE = new Route(Set.of(), null, Map.of());

    /** The template a request with this method is served under; null when no method serves it. */
    String templateFor(String method) {
      String served = templates.get(method);
      // Quarkus REST answers HEAD with the GET method
      return served == null && "HEAD".equals(method) ? templates.get("GET") : served;
    }
  }

  /** For the request being handled; empty outside one or when no resource serves its path. */
  static Set<String> ofCurrentRequest() {
    return currentRoute().methods();
  }

  static Route currentRoute() {
    ResteasyReactiveRequestContext request = CurrentRequestManager.get();
    if (request == null) {
      return Route.NONE;
    }
    return of(request.getDeployment(), request.getPathWithoutPrefix());
  }

  static Route of(Deployment deployment, String path) {
    RequestMapper<InitialMatch> classes = classes(deployment);
    // Per method, the first template matching the path (the one Quarkus REST routes it to), with
    // its rank in Jakarta REST's matching order.
    Map<String, String> templates = new LinkedHashMap<>();
    Map<String, Rank> ranks = new HashMap<>();
    for (RequestMapper.RequestMatch<InitialMatch> match = classes.map(path);
        match != null;
        match = classes.continueMatching(path, match)) {
      String remaining = match.remaining.isEmpty() ? "/" : match.remaining;
      for (ServerRestHandler handler : match.value.handlers) {
        if (!(handler instanceof ClassRoutingHandler routing)) {
          continue;
        }
        for (var methods : routing.getMappers().entrySet()) {
          // The null key holds sub-resource locators, which Campus does not use.
          if (methods.getKey() == null) {
            continue;
          }
          RequestMapper.RequestMatch<?> target = methods.getValue().map(remaining);
          if (target != null && !templates.containsKey(methods.getKey())) {
            templates.put(
                methods.getKey(), trimmed(match.template.template + target.template.template));
            ranks.put(methods.getKey(), Rank.of(match.template, target.template));
          }
        }
      }
    }
    if (templates.isEmpty()) {
      return Route.NONE;
    }
    // Quarkus REST routes each method on its own, so GET .../lessons/order would reach the GET of
    // .../lessons/{position}; the path belongs to its most specific template, as Jakarta REST
    // ranks them (ShadowedPaths answers the other methods with a 405).
    Rank best = ranks.values().stream().max(Comparator.naturalOrder()).orElseThrow();
    templates.keySet().removeIf(method -> ranks.get(method).compareTo(best) < 0);
    Set<String> allowed = new TreeSet<>(templates.keySet());
    // Quarkus REST answers HEAD with the GET method, and OPTIONS on every path it serves.
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    allowed.add("OPTIONS");
    return new Route(allowed, templates.values().iterator().next(), Map.copyOf(templates));
  }

  /**
   * Jakarta REST's order of templates matching one path (section 3.7.2): more literal characters
   * first, then more parameters, then more parameters with a regular expression of their own.
   */
  record Rank(int literals, int parameters, int expressions) implements Comparable<Rank> {
    static Rank of(URITemplate type, URITemplate method) {
      return new Rank(
          type.literalCharacterCount + method.literalCharacterCount,
          type.capturingGroups + method.capturingGroups,
          type.complexExpressions + method.complexExpressions);
    }

    @Override
    public int compareTo(Rank other) {
      return Comparator.comparingInt(Rank::literals)
          .thenComparingInt(Rank::parameters)
          .thenComparingInt(Rank::expressions)
          .compare(this, other);
    }
  }

  private static String trimmed(String template) {
    return template.length() > 1 && template.endsWith("/")
        ? template.substring(0, template.length() - 1)
        : template;
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
