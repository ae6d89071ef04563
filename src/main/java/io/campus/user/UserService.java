package io.campus.user;

import io.campus.auth.SessionService;
import io.campus.common.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
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

  /**
   * Changes the role, then ends every session of the user (rows deleted, cache entries evicted): a
   * privilege change takes a new login, so no token outlives the role it was issued for.
   */
  public Uni<UserView> changeRole(long userId, Role role) {
    return changeRoleTx(userId, role)
        .call(
            user ->
                sessions
                    .revokeAllOf(userId, 0)
                    .invoke(n -> LOG.infof("Role change of user %d ended %d sessions", userId, n)));
  }

  /**
   * Demoting an admin first locks every admin row (in id order, so concurrent demotions queue): the
   * last admin is refused with a 409, and two admins demoting each other cannot both succeed.
   */
  @WithTransaction
  Uni<UserView> changeRoleTx(long userId, Role role) {
    Uni<Long> otherAdmins =
        role == Role.ADMIN
            ? Uni.createFrom().item(Long.MAX_VALUE)
            : users
                .find("role = ?1 order by id", Role.ADMIN)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list()
                .map(admins -> admins.stream().filter(a -> a.id != userId).count());
    return otherAdmins.chain(
        others ->
            users
                .findById(userId)
                .map(
                    user -> {
                      if (user == null) {
                        throw ProblemException.notFound("No user with this id.");
                      }
                      if (user.role == Role.ADMIN && role != Role.ADMIN && others == 0) {
                        throw ProblemException.conflict(
                            "This is the last admin; make another user admin first.");
                      }
                      user.role = role;
                      LOG.infof("User %d now has role %s", userId, role);
                      return new UserView(user.id, user.email, user.displayName, user.role);
                    }));
  }
}
