package io.campus.auth;

import io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder;
import io.quarkus.resteasy.reactive.server.runtime.observability.ObservabilityIntegrationRecorder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Priorities;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What happens when authentication fails: the failure goes to the REST exception mappers (a 401
 * problem document), and the request's metrics are tagged with its route template.
 *
 * <p>Quarkus REST does the same when it finds the default failure handler, but it then resolves the
 * route template of every request up front, in case authentication fails later: a second route
 * match per request, about a tenth of the CPU of a cached read. Installed right after the
 * authentication handler, this handler resolves the template only for a request that failed.
 *
 * <p>Like Quarkus' own, it stands down once a request reaches Quarkus REST ({@link
 * #restTakesOver}): from then on an authentication failure is an exception of the request, mapped
 * once by the REST chain; failing the routing context as well would answer twice while the resource
 * goes on.
 */
@ApplicationScoped
public class AuthFailureRouting {

  private static final Logger LOG = Logger.getLogger(AuthFailureRouting.class);

  static final BiConsumer<RoutingContext, Throwable> FAIL_TO_MAPPERS =
      (event, failure) -> {
        try {
          ObservabilityIntegrationRecorder.setTemplatePath(
              event, ResteasyReactiveRecorder.getCurrentDeployment());
        } catch (RuntimeException e) {
          LOG.debug("No route template for a failed authentication", e);
        }
        DefaultAuthFailureHandler.markIfOtherAuthenticationFailure(event, failure);
        if (!event.failed()) {
          event.fail(DefaultAuthFailureHandler.extractRootCause(failure));
        }
      };

  void install(@Observes Filters filters) {
    // Same priority as the authentication handler, registered after it: runs right after it has
    // put the default failure handler, before Quarkus REST inspects it.
    filters.register(
        event -> {
          event.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, FAIL_TO_MAPPERS);
          event.next();
        },
        SecurityHandlerPriorities.AUTHENTICATION);
  }

  /** First of all REST filters, before any of them can ask for the identity. */
  @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
  public void restTakesOver(RoutingContext event) {
    if (event.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) == FAIL_TO_MAPPERS) {
      event.remove(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
    }
  }
}
