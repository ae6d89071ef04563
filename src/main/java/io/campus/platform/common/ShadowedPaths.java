package io.campus.platform.common;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.Deployment;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

/**
 * A wrong method on a path with a literal segment is a 405, even where a sibling template takes
 * that segment as a parameter value.
 *
 * <p>Quarkus REST routes each method on its own: {@code GET /api/courses/x/lessons/order} finds no
 * GET on {@code /{slug}/lessons/order} (a PUT) and falls through to the GET of {@code
 * /{slug}/lessons/{position}}, which then refuses "order" as a lesson number; a PUT on {@code
 * /api/courses/search} would update a course named "search". Jakarta REST ranks the literal
 * template first, and so do {@link AllowedMethods} (the Allow header, OPTIONS) and this filter: it
 * refuses such a request before matching, so before authentication too, like every other wrong
 * method. Only templates of whole-segment literals and plain parameters are compared.
 */
public class ShadowedPaths {

  /**
   * A template that outranks others matching the same paths, and the methods only those others
   * serve. A null segment is a parameter.
   */
  record Rule(String[] segments, Set<String> refused) {
    boolean matches(String path) {
      int start = 1;
      for (int i = 0; i < segments.length; i++) {
        if (start > path.length() || path.charAt(start - 1) != '/') {
          return false;
        }
        int end = path.indexOf('/', start);
        if (end < 0) {
          end = path.length();
        }
        String literal = segments[i];
        boolean ok =
            literal == null
                ? end > start
                : end - start == literal.length() && path.startsWith(literal, start);
        if (!ok) {
          return false;
        }
        start = end + 1;
      }
      return start == path.length() + 1;
    }
  }

  private record Rules(Deployment deployment, List<Rule> rules) {}

  // Built once per deployment (dev mode replaces it on reload).
  private static volatile Rules rules;

  @ServerRequestFilter(preMatching = true)
  public void refuseShadowedMethods(ContainerRequestContext request) {
    ResteasyReactiveRequestContext context = CurrentRequestManager.get();
    if (context == null) {
      return;
    }
    String method = request.getMethod();
    String path = null;
    for (Rule rule : rules(context.getDeployment())) {
      if (rule.refused().contains(method)) {
        if (path == null) {
          path = context.getPathWithoutPrefix();
        }
        if (rule.matches(path)) {
          throw new NotAllowedException(
              Response.status(Response.Status.METHOD_NOT_ALLOWED).build());
        }
      }
    }
  }

  private static List<Rule> rules(Deployment deployment) {
    Rules current = rules;
    if (current == null || current.deployment() != deployment) {
      current = new Rules(deployment, build(deployment));
      rules = current;
    }
    return current.rules();
  }

  static List<Rule> build(Deployment deployment) {
    // Every resource method's full template, as segments, with the methods serving it.
    Map<List<String>, Set<String>> templates = new HashMap<>();
    for (RequestMapper.RequestPath<InitialMatch> type : deployment.getClassMappers()) {
      for (ServerRestHandler handler : type.value.handlers) {
        if (!(handler instanceof ClassRoutingHandler routing)) {
          continue;
        }
        for (var methods : routing.getMappers().entrySet()) {
          if (methods.getKey() == null) {
            continue;
          }
          for (var method : methods.getValue().getTemplates()) {
            List<String> segments = segments(type.template.template + method.template.template);
            if (segments != null) {
              templates.computeIfAbsent(segments, s -> new TreeSet<>()).add(methods.getKey());
            }
          }
        }
      }
    }
    List<Rule> rules = new ArrayList<>();
    templates.forEach(
        (literal, served) -> {
          Set<String> refused = new TreeSet<>();
          templates.forEach(
              (other, others) -> {
                if (outranks(literal, other)) {
                  others.stream().filter(m -> !served.contains(m)).forEach(refused::add);
                }
              });
          if (refused.contains("GET") && !served.contains("GET")) {
            refused.add("HEAD"); // Quarkus REST answers HEAD with the GET method
          }
          if (!refused.isEmpty()) {
            rules.add(new Rule(literal.toArray(String[]::new), Set.copyOf(refused)));
          }
        });
    return List.copyOf(rules);
  }

  /**
   * Whether every path of {@code literal} also matches {@code other}, which has a parameter where
   * {@code literal} has a fixed segment: {@code /{slug}/lessons/order} outranks {@code
   * /{slug}/lessons/{position}}.
   */
  private static boolean outranks(List<String> literal, List<String> other) {
    if (literal.size() != other.size()) {
      return false;
    }
    boolean more = false;
    for (int i = 0; i < literal.size(); i++) {
      String mine = literal.get(i);
      String theirs = other.get(i);
      if (theirs != null && !theirs.equals(mine)) {
        return false;
      }
      more |= theirs == null && mine != null;
    }
    return more;
  }

  /** The segments of a template, null for a parameter; null for a template of any other form. */
  private static List<String> segments(String template) {
    List<String> segments = new ArrayList<>();
    for (String segment : template.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.indexOf('{') < 0 && segment.indexOf('}') < 0) {
        segments.add(segment);
      } else if (segment.matches("\\{\\w+}")) {
        segments.add(null);
      } else {
        return null;
      }
    }
    return segments;
  }
}
