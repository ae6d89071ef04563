package io.campus.user;

import io.campus.platform.ops.DbRead;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class UserRepository implements PanacheRepository<User> {

  @DbRead
  @WithSession
  public Uni<User> findByEmail(String email) {
    return find("lower(email) = lower(?1)", email).firstResult();
  }

  /**
   * How many enabled admins there are besides this user, their rows locked in id order: admin
   * changes (role, disable, deletion) take these locks first, so concurrent ones queue and the last
   * enabled admin cannot be removed by two of them at once. Not a unit of its own
   * (package-private): it runs inside the caller's write unit and transaction.
   */
  Uni<Long> lockOtherEnabledAdmins(long userId) {
    return find("role = ?1 and disabledAt is null and deletedAt is null order by id", Role.ADMIN)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .list()
        .map(admins -> admins.stream().filter(a -> a.id != userId).count());
  }
}
