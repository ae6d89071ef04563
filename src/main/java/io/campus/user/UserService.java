package io.campus.user;

import io.campus.common.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

@ApplicationScoped
public class UserService {

  private static final Logger LOG = Logger.getLogger(UserService.class);

  private final UserRepository users;

  public UserService(UserRepository users) {
    this.users = users;
  }

  @WithTransaction
  public Uni<UserView> changeRole(long userId, Role role) {
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
