package io.campus.ops;

import io.campus.common.ProblemException;
import io.campus.common.ProblemMapper;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** 429 with Retry-After for clients that call login/registration or write endpoints too often. */
public class RateLimitFilter {

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final RateLimiter limiter;
  private final OpsConfig.RateLimit config;

  public RateLimitFilter(RateLimiter limiter, OpsConfig ops) {
    this.limiter = limiter;
    this.config = ops.rateLimit();
  }

  @ServerRequestFilter(preMatching = true)
  public Response limit(ContainerRequestContext request, HttpServerRequest http) {
    if (!config.enabled() || !WRITES.contains(request.getMethod())) {
      return null;
    }
    String path = request.getUriInfo().getPath();
    long wait;
    if (path.startsWith("/api/auth/login") || path.startsWith("/api/auth/register")) {
      wait = limiter.acquire("auth|" + client(request, http), config.auth());
    } else if (path.startsWith("/api/")) {
      String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
      String who =
          authorization != null ? "t|" + authorization.hashCode() : "a|" + client(request, http);
      wait = limiter.acquire("write|" + who, config.writes());
    } else {
      return null;
    }
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
