package io.campus.auth;

import io.campus.audit.AuditEvent;
import io.campus.audit.AuditLog;
import io.campus.platform.common.ProblemException;
import io.campus.user.User;
import io.campus.user.UserRepository;
import io.campus.user.UserView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

@ApplicationScoped
@Startup
public class AuthService {

  private static final Logger LOG = Logger.getLogger(AuthService.class);

  private final UserRepository users;
  private final SessionService sessions;
  private final PasswordHasher hasher;
  private final Duration tokenTtl;
  // Both outcomes exist from start-up on (the bean is created eagerly), so a spike of failures
  // shows against a zero baseline.
  private final Counter loginSuccesses;
  private final Counter loginFailures;
  @Inject AuditLog audit;

  public AuthService(
      UserRepository users,
      SessionService sessions,
      PasswordHasher hasher,
      AuthConfig config,
      MeterRegistry registry) {
    this.users = users;
    this.sessions = sessions;
    this.hasher = hasher;
    this.tokenTtl = config.tokenTtl();
    this.loginSuccesses = logins(registry, "success");
    this.loginFailures = logins(registry, "failure");
  }

  private static Counter logins(MeterRegistry registry, String outcome) {
    return Counter.builder("campus.auth.logins")
        .description("Login attempts by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  public Uni<AuthDtos.TokenResponse> login(AuthDtos.LoginRequest request) {
    return login(request, null);
  }

  /** Logs in; the session remembers the client's User-Agent for the user's list of sessions. */
  public Uni<AuthDtos.TokenResponse> login(AuthDtos.LoginRequest request, String userAgent) {
    return users
        .findByEmail(request.email().trim())
        // The throttle locks by accountKey: a spelling that only the database's lower() takes for
        // this account would escape its lock, so it is no account at all.
        .map(user -> user != null && sameAccount(user.email, request.email()) ? user : null)
        .chain(
            user ->
                hasher
                    .matches(request.password(), user == null ? null : user.passwordHash)
                    .chain(
                        ok -> {
                          if (!ok || user.disabledAt != null || user.deletedAt != null) {
                            loginFailures.increment();
                            LOG.debugf("Failed login");
                            return audit
                                .recordQuietly(loginFailed(request.email(), user, ok))
                                .chain(() -> Uni.createFrom().failure(wrongCredentials()));
                          }
                          return openSession(view(user), user.sessionEpoch, userAgent)
                              .onItem()
                              .ifNull()
                              .switchTo(
                                  () -> {
                                    // the password changed (or every session was ended) while
                                    // this one was being checked
                                    loginFailures.increment();
                                    return Uni.createFrom().failure(wrongCredentials());
                                  })
                              .invoke(() -> loginSuccesses.increment());
                        }));
  }

  private static ProblemException wrongCredentials() {
    return ProblemException.unauthorized("The email or password is wrong.");
  }

  /** The new session's token, or null when the user's sessions were ended after {@code epoch}. */
  private Uni<AuthDtos.TokenResponse> openSession(UserView user, int epoch, String userAgent) {
    String token = Tokens.newToken();
    OffsetDateTime expiresAt = OffsetDateTime.now(ZoneOffset.UTC).plus(tokenTtl);
    return sessions
        .create(
            user.id(), Tokens.hash(token), expiresAt, AccountService.userAgent(userAgent), epoch)
        .map(opened -> opened ? new AuthDtos.TokenResponse(token, expiresAt, user) : null);
  }

  public Uni<Void> logout(String authorization) {
    String token = authorization.substring("Bearer ".length()).trim();
    return sessions.revoke(Tokens.hash(token));
  }

  private static boolean sameAccount(String stored, String given) {
    return LoginThrottle.accountKey(stored).equals(LoginThrottle.accountKey(given));
  }

  /** Audit event of a failed login: the account's id when it exists, else the email's hash. */
  private static AuditEvent loginFailed(String email, User user, boolean passwordOk) {
    String reason =
        !passwordOk ? "bad-credentials" : user.deletedAt != null ? "deleted" : "disabled";
    return AuditEvent.loginFailed(user == null ? null : user.id, email, reason);
  }

  static UserView view(User user) {
    return new UserView(user.id, user.email, user.displayName, user.role);
  }
}
