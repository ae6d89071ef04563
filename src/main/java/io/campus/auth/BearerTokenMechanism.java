package io.campus.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Resolves {@code Authorization: Bearer <token>} to a user. No header means anonymous; a malformed,
 * unknown or expired token fails authentication (401) when an endpoint needs a user.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

  private static final String PREFIX = "Bearer ";

  private final SessionService sessions;

  public BearerTokenMechanism(SessionService sessions) {
    this.sessions = sessions;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String header = context.request().getHeader("Authorization");
    if (header == null) {
      return Uni.createFrom().nullItem();
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Uni.createFrom().failure(new AuthenticationFailedException("not a bearer token"));
    }
    String token = header.substring(PREFIX.length()).trim();
    if (token.isEmpty() || token.length() > Tokens.MAX_TOKEN_LENGTH) {
      return Uni.createFrom().failure(new AuthenticationFailedException("malformed token"));
    }
    return sessions
        .resolveSession(Tokens.hash(token))
        .onItem()
        .transform(
            session -> {
              if (session == null) {
                throw new AuthenticationFailedException("unknown, expired or idle token");
              }
              var user = session.user();
              return QuarkusSecurityIdentity.builder()
                  .setPrincipal(new QuarkusPrincipal(Long.toString(user.id())))
                  .addRole(user.role().name())
                  .addAttribute(Caller.ATTRIBUTE, user)
                  .addAttribute(Caller.SESSION_ATTRIBUTE, session.sessionId())
                  .addAttribute(Caller.EMAIL_CONFIRMED_ATTRIBUTE, session.emailConfirmed())
                  .build();
            });
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
  }
}
