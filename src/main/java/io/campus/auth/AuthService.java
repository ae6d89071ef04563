package io.campus.auth;

import io.campus.CampusConfig;
import io.campus.common.ProblemException;
import io.campus.user.Role;
import io.campus.user.User;
import io.campus.user.UserRepository;
import io.campus.user.UserView;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.jboss.logging.Logger;

@ApplicationScoped
public class AuthService {

  private static final Logger LOG = Logger.getLogger(AuthService.class);

  private final UserRepository users;
  private final SessionService sessions;
  private final PasswordHasher hasher;
  private final Duration tokenTtl;

  public AuthService(
      UserRepository users, SessionService sessions, PasswordHasher hasher, CampusConfig config) {
    this.users = users;
    this.sessions = sessions;
    this.hasher = hasher;
    this.tokenTtl = config.auth().tokenTtl();
  }

  /** Hashes first (on a worker), then writes; a taken email is a 409. */
  public Uni<UserView> register(AuthDtos.RegisterRequest request) {
    String email = request.email().trim().toLowerCase(Locale.ROOT);
    return hasher
        .hash(request.password())
        .chain(hash -> insertStudent(email, request.displayName().trim(), hash))
        .invoke(user -> LOG.infof("Registered user %d", user.id()));
  }

  @WithTransaction
  Uni<UserView> insertStudent(String email, String displayName, String passwordHash) {
    return users
        .findByEmail(email)
        .chain(
            existing -> {
              if (existing != null) {
                return Uni.createFrom()
                    .failure(ProblemException.conflict("An account with this email exists."));
              }
              User user = new User();
              user.email = email;
              user.displayName = displayName;
              user.role = Role.STUDENT;
              user.passwordHash = passwordHash;
              return users.persist(user).map(AuthService::view);
            });
  }

  public Uni<AuthDtos.TokenResponse> login(AuthDtos.LoginRequest request) {
    return users
        .findByEmail(request.email().trim())
        .chain(
            user ->
                hasher
                    .matches(request.password(), user == null ? null : user.passwordHash)
                    .chain(
                        ok -> {
                          if (!ok) {
                            LOG.debugf("Failed login");
                            return Uni.createFrom()
                                .failure(
                                    ProblemException.unauthorized(
                                        "The email or password is wrong."));
                          }
                          return openSession(view(user));
                        }));
  }

  private Uni<AuthDtos.TokenResponse> openSession(UserView user) {
    String token = Tokens.newToken();
    OffsetDateTime expiresAt = OffsetDateTime.now(ZoneOffset.UTC).plus(tokenTtl);
    return sessions
        .create(user.id(), Tokens.hash(token), expiresAt)
        .map(ignored -> new AuthDtos.TokenResponse(token, expiresAt, user));
  }

  public Uni<Void> logout(String authorization) {
    String token = authorization.substring("Bearer ".length()).trim();
    return sessions.revoke(Tokens.hash(token));
  }

  static UserView view(User user) {
    return new UserView(user.id, user.email, user.displayName, user.role);
  }
}
