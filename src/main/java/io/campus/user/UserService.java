package io.campus.user;

import io.campus.audit.AuditEvent;
import io.campus.audit.AuditLog;
import io.campus.auth.SessionService;
import io.campus.platform.cache.CacheTags;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.AfterCommit;
import io.campus.platform.ops.DbWrite;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

@ApplicationScoped
public class UserService {

  private static final Logger LOG = Logger.getLogger(UserService.class);

  private final UserRepository users;
  private final SessionService sessions;
  private final UserNameViews names;
  private final TwoLevelCache cache;
  @Inject AuditLog audit;

  public UserService(
      UserRepository users, SessionService sessions, UserNameViews names, TwoLevelCache cache) {
    this.users = users;
    this.sessions = sessions;
    this.names = names;
    this.cache = cache;
  }

  /** A user as an admin change left them, and whether the change did anything. */
  record Outcome(UserView user, boolean changed) {

    static Outcome of(User user, boolean changed) {
      return new Outcome(new UserView(user.id, user.email, user.displayName, user.role), changed);
    }
  }

  /**
   * Changes the role, then ends every session of the user (rows deleted, cache entries evicted): a
   * privilege change takes a new login, so no token outlives the role it was issued for. Setting
   * the role the user has already changes nothing, so it ends no session either.
   */
  public Uni<UserView> changeRole(long userId, Role role, Long actorId) {
    AtomicReference<List<Long>> endedFor = new AtomicReference<>(List.of());
    return AfterCommit.then(
            changeRoleTx(userId, role, actorId, endedFor),
            outcome ->
                !outcome.changed()
                    ? Uni.createFrom().voidItem()
                    : sessions
                        .revokeAllOf(userId, 0)
                        .invoke(
                            n -> LOG.infof("Role change of user %d ended %d sessions", userId, n))
                        .chain(() -> mentorListsChanged(endedFor.get())))
        .map(Outcome::user);
  }

  private Uni<Void> mentorListsChanged(List<Long> mentorIds) {
    return mentorIds.isEmpty()
        ? Uni.createFrom().voidItem()
        : cache.bumpAll(mentorIds.stream().map(CacheTags::mentor).toList());
  }

  /**
   * In the role change's transaction: the mentor assignments the new role no longer fits end (as an
   * admin's unassignment ends them), the user's as a student unless they stay a student, their own
   * as a mentor unless they stay a mentor. A promoted student no longer shows as an active student,
   * nor are their enrollments and assessments open to their former mentors; a demoted mentor keeps
   * no students. Returns the mentors whose student lists changed.
   */
  @SuppressWarnings("unchecked")
  private Uni<List<Long>> assignmentsEndedFor(long userId, Role role) {
    return users
        .getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        """
                        update mentor_assignments set active = false
                        where active
                          and ((student_id = :id and :role <> 'STUDENT')
                            or (mentor_id = :id and :role <> 'MENTOR'))
                        returning mentor_id
                        """)
                    .setParameter("id", userId)
                    .setParameter("role", role.name())
                    .getResultList())
        .map(
            rows -> {
              Set<Long> mentors = new LinkedHashSet<>();
              for (Object row : (List<Object>) rows) {
                mentors.add(((Number) row).longValue());
              }
              return List.copyOf(mentors);
            });
  }

  /**
   * Audit row of a change of one field of a user, with its value before and after, written in the
   * change's transaction; a change that did nothing has no row (nor a generic admin-write one).
   */
  private Uni<Void> audited(
      Outcome outcome,
      Long actorId,
      String action,
      long userId,
      String field,
      AtomicReference<Object> before,
      Object after) {
    if (!outcome.changed()) {
      audit.nothingChanged();
      return Uni.createFrom().voidItem();
    }
    return users
        .getSession()
        .chain(
            session ->
                audit.recordIn(
                    session,
                    AuditEvent.of(
                        actorId,
                        action,
                        "user",
                        userId,
                        Map.of(field, before.get()),
                        Map.of(field, after))));
  }

  /**
   * Demoting an admin first locks every admin row (in id order, so concurrent demotions queue): the
   * last admin is refused with a 409, and two admins demoting each other cannot both succeed.
   */
  @DbWrite
  @WithTransaction
  Uni<Outcome> changeRoleTx(
      long userId, Role role, Long actorId, AtomicReference<List<Long>> endedFor) {
    AtomicReference<Object> before = new AtomicReference<>();
    return withOtherAdminsLocked(
            userId,
            role != Role.ADMIN,
            (user, others) -> {
              if (user.role == role) {
                return Outcome.of(user, false);
              }
              if (user.role == Role.ADMIN && role != Role.ADMIN && others == 0) {
                throw ProblemException.conflict(
                    "This is the last admin; make another user admin first.");
              }
              before.set(user.role);
              user.role = role;
              LOG.infof("User %d now has role %s", userId, role);
              return Outcome.of(user, true);
            })
        .call(
            outcome ->
                outcome.changed()
                    ? assignmentsEndedFor(userId, role).invoke(endedFor::set).replaceWithVoid()
                    : Uni.createFrom().voidItem())
        .call(
            outcome ->
                audited(outcome, actorId, AuditEvent.ROLE_CHANGED, userId, "role", before, role));
  }

  /**
   * Loads the user after locking the other enabled admins when {@code lockAdmins} (in id order, so
   * concurrent changes queue and two admins cannot remove each other), and applies {@code change}
   * with how many of them there are ({@code Long.MAX_VALUE} when not locked); 404 for an unknown id
   * and for a deleted (anonymized) account, which no admin change may bring back.
   */
  private Uni<Outcome> withOtherAdminsLocked(
      long userId, boolean lockAdmins, BiFunction<User, Long, Outcome> change) {
    Uni<Long> otherAdmins =
        lockAdmins ? users.lockOtherEnabledAdmins(userId) : Uni.createFrom().item(Long.MAX_VALUE);
    return otherAdmins.chain(
        others ->
            users
                .findById(userId)
                .map(
                    user -> {
                      if (user == null || user.deletedAt != null) {
                        throw ProblemException.notFound("No user with this id.");
                      }
                      return change.apply(user, others);
                    }));
  }

  /**
   * Disables an account: it can no longer log in and every session ends at once (rows deleted and
   * cache entries evicted; session lookups also skip disabled users, so a stale entry elsewhere
   * cannot outlive the cache's own expiry check). The last enabled admin is refused with a 409.
   */
  public Uni<UserView> disable(long userId, Long actorId) {
    return AfterCommit.then(
            setDisabledTx(userId, true, actorId),
            outcome ->
                outcome.changed() ? sessions.endAllSessions(userId) : Uni.createFrom().voidItem())
        .map(Outcome::user);
  }

  /** Enables a disabled account again; the user logs in anew. */
  public Uni<UserView> enable(long userId, Long actorId) {
    return setDisabledTx(userId, false, actorId).map(Outcome::user);
  }

  @DbWrite
  @WithTransaction
  Uni<Outcome> setDisabledTx(long userId, boolean disabled, Long actorId) {
    AtomicReference<Object> before = new AtomicReference<>();
    return withOtherAdminsLocked(
            userId,
            true,
            (user, others) -> {
              if (disabled == (user.disabledAt != null)) {
                return Outcome.of(user, false);
              }
              if (disabled && user.role == Role.ADMIN && others == 0) {
                throw ProblemException.conflict(
                    "This is the last enabled admin; make another user admin first.");
              }
              before.set(!disabled);
              user.disabledAt = disabled ? OffsetDateTime.now(ZoneOffset.UTC) : null;
              LOG.infof(disabled ? "User %d disabled" : "User %d enabled", userId);
              return Outcome.of(user, true);
            })
        .call(
            outcome ->
                audited(
                    outcome,
                    actorId,
                    disabled ? AuditEvent.USER_DISABLED : AuditEvent.USER_ENABLED,
                    userId,
                    "disabled",
                    before,
                    disabled));
  }

  /**
   * Changes the caller's display name; their cached sessions and every cached view that shows the
   * name ({@link UserNameViews}, the same as on a deletion) are evicted to show it at once.
   */
  public Uni<UserView> updateProfile(long userId, String displayName) {
    return AfterCommit.then(
            updateProfileTx(userId, displayName),
            renamed -> sessions.evictUser(userId).chain(() -> names.evict(userId, renamed.shown())))
        .map(Renamed::user);
  }

  /** A user after a rename, and where the name shows. */
  record Renamed(UserView user, UserNameViews.Shown shown) {}

  @DbWrite
  @WithTransaction
  Uni<Renamed> updateProfileTx(long userId, String displayName) {
    // Locked, and so as it is once a deletion or change under way has committed: a rename must not
    // write a name onto an account anonymized meanwhile.
    return users
        .findById(userId, LockModeType.PESSIMISTIC_WRITE)
        .map(
            user -> {
              if (user == null || user.deletedAt != null || user.disabledAt != null) {
                throw ProblemException.notFound("No user with this id.");
              }
              user.displayName = displayName;
              LOG.infof("User %d changed their display name", userId);
              return new UserView(user.id, user.email, user.displayName, user.role);
            })
        .chain(view -> names.of(userId).map(shown -> new Renamed(view, shown)));
  }
}
