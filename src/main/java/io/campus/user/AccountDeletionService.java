package io.campus.user;

import io.campus.auth.PasswordHasher;
import io.campus.auth.SessionService;
import io.campus.leaderboard.LeaderboardRefresher;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.AfterCommit;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Deletes the caller's own account by anonymizing it: the user row stays (learning records keep
 * pointing at it) but holds no personal data any more, and every personal-only row goes.
 */
@ApplicationScoped
public class AccountDeletionService {

  private static final Logger LOG = Logger.getLogger(AccountDeletionService.class);

  /** The name every deleted account shows from now on. */
  public static final String DELETED_NAME = "Deleted user";

  private final UserRepository users;
  private final PasswordHasher hasher;
  private final SessionService sessions;
  private final LeaderboardRefresher leaderboard;
  private final UserNameViews names;

  public AccountDeletionService(
      UserRepository users,
      PasswordHasher hasher,
      SessionService sessions,
      LeaderboardRefresher leaderboard,
      UserNameViews names) {
    this.users = users;
    this.hasher = hasher;
    this.sessions = sessions;
    this.leaderboard = leaderboard;
    this.names = names;
  }

  /**
   * Deletes the account after checking its password (a wrong one is a 403; bcrypt runs off the
   * event loop). The last enabled admin is refused with a 409. Afterwards every session ends and
   * the cached views showing the old name are evicted.
   */
  public Uni<Void> delete(long userId, String password) {
    return passwordHash(userId)
        .chain(
            hash ->
                hasher
                    .matches(password, hash)
                    .chain(
                        ok -> {
                          if (!ok) {
                            LOG.infof(
                                "User %d gave a wrong password for deleting their account", userId);
                            return Uni.createFrom().failure(wrongPassword());
                          }
                          return AfterCommit.then(
                              deleteTx(userId, hash),
                              deleted ->
                                  sessions
                                      .endAllSessions(userId)
                                      .chain(() -> evict(userId, deleted)));
                        }))
        .invoke(() -> LOG.infof("User %d deleted their account", userId))
        .replaceWithVoid();
  }

  @DbRead
  @WithSession
  Uni<String> passwordHash(long userId) {
    return users
        .findById(userId)
        .map(user -> user == null || user.deletedAt != null ? null : user.passwordHash);
  }

  /**
   * One transaction: admins locked first (same order as the role and disable changes, so concurrent
   * changes queue), then the user row anonymized and the personal-only rows deleted.
   */
  @DbWrite
  @WithTransaction
  Uni<UserNameViews.Shown> deleteTx(long userId, String checkedHash) {
    Uni<Long> otherAdmins = users.lockOtherEnabledAdmins(userId);
    // The user locked, so read as it is once a change under way has committed: a password reset
    // meanwhile makes the one checked no proof any more.
    return otherAdmins
        .chain(
            others ->
                users
                    .findById(userId, LockModeType.PESSIMISTIC_WRITE)
                    .map(
                        user -> {
                          if (user != null
                              && user.deletedAt == null
                              && !user.passwordHash.equals(checkedHash)) {
                            LOG.infof(
                                "User %d's password changed while they deleted their account",
                                userId);
                            throw wrongPassword();
                          }
                          return anonymize(user, others);
                        }))
        .chain(() -> personalRowsDeleted(userId))
        .chain(() -> names.of(userId));
  }

  private static ProblemException wrongPassword() {
    return ProblemException.forbidden("The password is wrong.");
  }

  private static User anonymize(User user, long otherAdmins) {
    if (user == null || user.deletedAt != null) {
      throw ProblemException.notFound("No user with this id.");
    }
    if (user.role == Role.ADMIN && user.disabledAt == null && otherAdmins == 0) {
      throw ProblemException.conflict(
          "This is the last enabled admin; make another user admin first.");
    }
    // Never taken by a live account: no address may be registered under .invalid (MailAddress).
    user.email = "deleted-" + user.id + "@invalid";
    user.displayName = DELETED_NAME;
    // Not a bcrypt hash: no password can ever match it.
    user.passwordHash = "!deleted!" + UUID.randomUUID();
    user.deletedAt = OffsetDateTime.now(ZoneOffset.UTC);
    return user;
  }

  private Uni<Void> personalRowsDeleted(long userId) {
    return users
        .getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        """
                        with t as (delete from account_tokens where user_id = :id),
                        m as (delete from account_mails where user_id = :id),
                        i as (delete from idempotency_keys where user_id = :id)
                        update users set email_confirmed_at = null where id = :id
                        """)
                    .setParameter("id", userId)
                    .executeUpdate())
        .replaceWithVoid();
  }

  /**
   * Cached views that show the old name or address ({@link UserNameViews}). The leaderboard is a
   * materialized view, refreshed now when the user is on it (a failed refresh waits for the job).
   */
  private Uni<Void> evict(long userId, UserNameViews.Shown deleted) {
    Uni<Void> done = names.evict(userId, deleted);
    if (deleted.ranked()) {
      done =
          done.chain(
              () ->
                  leaderboard
                      .refresh()
                      .onFailure()
                      .invoke(e -> LOG.warnf(e, "Leaderboard refresh after a deletion failed"))
                      .onFailure()
                      .recoverWithItem(false)
                      .replaceWithVoid());
    }
    return done;
  }
}
