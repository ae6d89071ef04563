package io.campus.platform.ops;

import io.campus.auth.Caller;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.ProblemMapper;
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

  // HEAD runs the GET method (and its search), only the body is left out.
  private static final Set<String> READS = Set.of("GET", "HEAD");

  private static final Uni<Response> NONE = Uni.createFrom().nullItem();

  private final RateLimiter limiter;
  private final OpsConfig.RateLimit config;
  private final CurrentIdentityAssociation identities;
  private final ClientAddress clients;

  public RateLimitFilter(
      RateLimiter limiter,
      OpsConfig ops,
      CurrentIdentityAssociation identities,
      ClientAddress clients) {
    this.limiter = limiter;
    this.config = ops.rateLimit();
    this.identities = identities;
    this.clients = clients;
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> limit(ContainerRequestContext request, HttpServerRequest http) {
    if (!config.enabled()) {
      return NONE;
    }
    if (READS.contains(request.getMethod())
        && request.getUriInfo().getPath().startsWith("/api/courses/search")) {
      return limitSearch(request, http);
    }
    if (!WRITES.contains(request.getMethod())) {
      return NONE;
    }
    String path = request.getUriInfo().getPath();
    if (BodyLimitFilter.isAuth(path)) {
      return Uni.createFrom()
          .item(rejected(limiter.acquire("auth|" + client(request, http), config.auth())));
    }
    if (!path.startsWith("/api/")) {
      return NONE;
    }
    return perCaller(request, http, "write", config.writes());
  }

  /** Search is an expensive read: a bucket per user, or per client address when anonymous. */
  private Uni<Response> limitSearch(ContainerRequestContext request, HttpServerRequest http) {
    return perCaller(request, http, "search", config.search());
  }

  /**
   * A bucket per user, keyed on the user and not on the header's spelling ("Bearer x" and "Bearer
   * x" are one caller); without a header, or with a token that does not authenticate, per client
   * address.
   */
  private Uni<Response> perCaller(
      ContainerRequestContext request,
      HttpServerRequest http,
      String kind,
      OpsConfig.RateLimit.Bucket bucket) {
    if (request.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
      return Uni.createFrom()
          .item(rejected(limiter.acquire(kind + "|a|" + client(request, http), bucket)));
    }
    return identities
        .getDeferredIdentity()
        .onFailure()
        .recoverWithNull()
        .map(
            identity -> {
              UserView user = Caller.orNull(identity);
              String key =
                  user != null ? kind + "|u|" + user.id() : kind + "|a|" + client(request, http);
              return rejected(limiter.acquire(key, bucket));
            });
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
    return clients.bucketOf(http);
  }
}
