package io.campus.user;

import io.campus.auth.SessionService;
import io.campus.common.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

@ApplicationScoped
public class UserService {

  private static final Logger LOG = Logger.getLogger(UserService.class);

  private final UserRepository users;
  private final SessionService sessions;

  public UserService(UserRepository users, SessionService sessions) {
    this.users = users;
    this.sessions = sessions;
  }

  /** Changes the role, then evicts the user's cached sessions so the new role applies at once. */
  public Uni<UserView> changeRole(long userId, Role role) {
    return changeRoleTx(userId, role).call(user -> sessions.evictUser(userId));
  }

  @WithTransaction
  Uni<UserView> changeRoleTx(long userId, Role role) {
    return users
        .findById(userId)
        .map(
            user -> {
              if (user == null) {
                throw ProblemException.notFound("No user with this id.");
              }
              user.role = role;
              LOG.infof("User %d now has role %s", userId, role);
              return new UserView(user.id, user.email, user.displayName, user.role);
            });
  }
}
