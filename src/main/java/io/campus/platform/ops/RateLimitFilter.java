package io.campus.platform.ops;

import io.campus.auth.Caller;
import io.campus.platform.common.ProblemException;
import io.campus.platform.common.ProblemMapper;
import io.campus.user.UserView;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** 429 with Retry-After for clients that call login/registration or write endpoints too often. */
public class RateLimitFilter {

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private static final Uni<Response> NONE = Uni.createFrom().nullItem();

  private final RateLimiter limiter;
  private final OpsConfig.RateLimit config;
  private final CurrentIdentityAssociation identities;
  private final ClientAddress clients;

  /**
   * Login and registration bodies are small; a declared length over it is refused before the body
   * is read, an undeclared (chunked) one as soon as more has arrived.
   */
  static final long MAX_AUTH_BODY = 4096;

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
    if ("GET".equals(request.getMethod())
        && request.getUriInfo().getPath().startsWith("/api/courses/search")) {
      return limitSearch(request, http);
    }
    if (!WRITES.contains(request.getMethod())) {
      return NONE;
    }
    String path = request.getUriInfo().getPath();
    if (path.startsWith("/api/auth/login")
        || path.startsWith("/api/auth/register")
        || path.startsWith("/api/auth/password")
        || path.startsWith("/api/auth/confirm-email")) {
      if (request.getLength() > MAX_AUTH_BODY) {
        return Uni.createFrom().item(authBodyTooLarge());
      }
      if (request.getLength() < 0 && !http.isEnded()) {
        // No declared length (chunked): count the bytes as they arrive, and hand the body on only
        // when it stayed within the limit.
        return cappedBody(http)
            .map(
                body -> {
                  if (body == null) {
                    closeWhenDone(http);
                    return authBodyTooLarge();
                  }
                  request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
                  return rejected(limiter.acquire("auth|" + client(request, http), config.auth()));
                });
      }
      return Uni.createFrom()
          .item(rejected(limiter.acquire("auth|" + client(request, http), config.auth())));
    }
    if (!path.startsWith("/api/")) {
      return NONE;
    }
    return perCaller(request, http, "write", config.writes());
  }

  private static Response authBodyTooLarge() {
    return ProblemMapper.toResponse(
        new ProblemException(
            413,
            "Content Too Large",
            "Login and registration bodies are limited to " + MAX_AUTH_BODY + " bytes."));
  }

  /**
   * The request body, or null as soon as more than {@link #MAX_AUTH_BODY} bytes arrived: nothing
   * beyond the limit is kept, the rest is read and dropped so the answer can be sent at once.
   */
  private static Uni<Buffer> cappedBody(HttpServerRequest http) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Buffer body = Buffer.buffer();
              boolean[] over = {false};
              http.handler(
                  chunk -> {
                    if (over[0]) {
                      return;
                    }
                    if (body.length() + chunk.length() > MAX_AUTH_BODY) {
                      over[0] = true;
                      emitter.complete(null);
                    } else {
                      body.appendBuffer(chunk);
                    }
                  });
              http.exceptionHandler(emitter::fail);
              http.endHandler(
                  v -> {
                    if (!over[0]) {
                      emitter.complete(body);
                    }
                  });
              http.resume();
            });
  }

  /**
   * The refused body may still be arriving: the answer says the connection ends, and it ends once
   * both the answer and the body are through (closing earlier would reset the answer away).
   */
  private static void closeWhenDone(HttpServerRequest http) {
    if (http.version() == HttpVersion.HTTP_2) {
      return;
    }
    http.response().putHeader("Connection", "close");
    Runnable close =
        () -> {
          if (http.isEnded() && http.response().ended()) {
            http.connection().close();
          }
        };
    http.response().endHandler(v -> close.run());
    http.endHandler(v -> close.run());
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
    return clients.of(http);
  }
}
