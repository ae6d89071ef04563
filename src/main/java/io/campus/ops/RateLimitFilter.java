package io.campus.ops;

import io.campus.auth.Caller;
import io.campus.common.ProblemException;
import io.campus.common.ProblemMapper;
import io.campus.user.UserView;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** 429 with Retry-After for clients that call login/registration or write endpoints too often. */
public class RateLimitFilter {

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private static final Uni<Response> NONE = Uni.createFrom().nullItem();

  private final RateLimiter limiter;
  private final OpsConfig.RateLimit config;
  private final CurrentIdentityAssociation identities;

  public RateLimitFilter(
      RateLimiter limiter, OpsConfig ops, CurrentIdentityAssociation identities) {
    this.limiter = limiter;
    this.config = ops.rateLimit();
    this.identities = identities;
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> limit(ContainerRequestContext request, HttpServerRequest http) {
    if (!config.enabled() || !WRITES.contains(request.getMethod())) {
      return NONE;
    }
    String path = request.getUriInfo().getPath();
    if (path.startsWith("/api/auth/login")
        || path.startsWith("/api/auth/register")
        || path.startsWith("/api/auth/password")
        || path.startsWith("/api/auth/confirm-email")) {
      return Uni.createFrom()
          .item(rejected(limiter.acquire("auth|" + client(request, http), config.auth())));
    }
    if (!path.startsWith("/api/")) {
      return NONE;
    }
    if (request.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
      return Uni.createFrom()
          .item(rejected(limiter.acquire("write|a|" + client(request, http), config.writes())));
    }
    // Keyed on the user, not on the header's spelling ("Bearer  x" and "Bearer x" are one caller);
    // a token that does not authenticate counts against the client address.
    return identities
        .getDeferredIdentity()
        .onFailure()
        .recoverWithNull()
        .map(
            identity -> {
              UserView user = Caller.orNull(identity);
              String key = user != null ? writeKey(user.id()) : "write|a|" + client(request, http);
              return rejected(limiter.acquire(key, config.writes()));
            });
  }

  /** The write bucket of an authenticated user. */
  static String writeKey(long userId) {
    return "write|u|" + userId;
  }

  private static Response rejected(long wait) {
    if (wait == 0) {
      return null;
    }
    return ProblemMapper.toResponse(
        new ProblemException(
            429,
            "Too Many Requests",
            "Slow down and retry after the given delay.",
            null,
            (int) wait));
  }

  private String client(ContainerRequestContext request, HttpServerRequest http) {
    if (config.trustForwarded()) {
      String forwarded = request.getHeaderString("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        return forwarded.split(",")[0].trim();
      }
    }
    return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
  }
}
