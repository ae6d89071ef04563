package io.campus.auth;

import io.campus.platform.common.Cursor;
import io.campus.platform.common.Page;
import io.campus.platform.common.PageSize;
import io.campus.platform.common.ProblemException;
import io.campus.platform.ops.AfterCommit;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Account self-service (OWASP ASVS 2.5, 3.3): registration and password reset that never tell
 * whether an address has an account, email confirmation, password change, and the user's own
 * sessions.
 */
@ApplicationScoped
public class AccountService {

  private static final Logger LOG = Logger.getLogger(AccountService.class);
  static final int MAX_USER_AGENT = 512;
  // Sessions whose stored last use is this much older than the idle timeout are surely idle; the
  // ones in between are checked against the uses this instance has not flushed yet.
  private static final Duration LIST_SLACK = Duration.ofMinutes(1);

  private final AccountRepository accounts;
  private final SessionRepository sessionRows;
  private final SessionService sessions;
  private final PasswordHasher hasher;
  private final AccountMails mails;
  private final AuthConfig config;

  public AccountService(
      AccountRepository accounts,
      SessionRepository sessionRows,
      SessionService sessions,
      PasswordHasher hasher,
      AccountMails mails,
      AuthConfig config) {
    this.accounts = accounts;
    this.sessionRows = sessionRows;
    this.sessions = sessions;
    this.hasher = hasher;
    this.mails = mails;
    this.config = config;
  }

  /**
   * Registers a student and mails a confirmation token; for a taken address, mails its owner a
   * notice instead (at most one per mail interval). Both cases hash the password and answer alike.
   */
  public Uni<Void> register(AuthDtos.RegisterRequest request) {
    String email = request.email().trim().toLowerCase(Locale.ROOT);
    String refused = PasswordPolicy.problem(request.password(), email);
    if (refused != null) {
      return Uni.createFrom().failure(ProblemException.invalidField("password", refused));
    }
    String name = request.displayName().strip();
    String token = Tokens.newToken();
    return hasher
        .hash(request.password())
        .chain(
            hash ->
                accounts.insertStudent(
                    email, name, hash, Tokens.hash(token), config.emailConfirmationTtl()))
        .chain(
            id -> {
              if (id != null) {
                LOG.infof("Registered user %d", id);
                mails.confirmEmail(email, name, token);
                return Uni.createFrom().voidItem();
              }
              LOG.info("Registration for an address that has an account; its owner is told");
              return accounts
                  .mailSlot(
                      email,
                      AccountRepository.REGISTERED_AGAIN,
                      config.mailInterval(),
                      null,
                      Duration.ZERO)
                  .invoke(
                      to -> {
                        if (to != null) {
                          mails.registeredAgain(to.email(), to.displayName());
                        }
                      })
                  .replaceWithVoid();
            });
  }

  /** Confirms the address; the user's cached sessions are evicted, so /me says so at once. */
  public Uni<Void> confirmEmail(String token) {
    return accounts
        .confirmEmail(Tokens.hash(token.trim()))
        .chain(
            userId -> {
              if (userId == null) {
                return Uni.createFrom().failure(invalidToken());
              }
              LOG.infof("User %d confirmed their email address", userId);
              // The sessions as they are once the confirmation committed: one opened meanwhile
              // may have been cached before it.
              return sessions.evictUser(userId);
            });
  }

  /**
   * Mails the user a new confirmation token unless their address is confirmed or a confirmation
   * went out within the mail interval; the earlier tokens stay usable until they expire.
   */
  public Uni<Void> resendConfirmation(UserView user) {
    String token = Tokens.newToken();
    return accounts
        .mailSlot(
            user.email(),
            AccountRepository.CONFIRM_EMAIL,
            config.mailInterval(),
            Tokens.hash(token),
            config.emailConfirmationTtl())
        .invoke(
            to -> {
              if (to != null) {
                LOG.infof("Confirmation token mailed again to user %d", to.userId());
                mails.confirmEmail(to.email(), to.displayName(), token);
              }
            })
        .replaceWithVoid();
  }

  /**
   * Mails a reset token when the address has an account (at most one per mail interval). Answers
   * before that work: an account's row written, commit flushed and mail rendered would take
   * measurably longer than an unknown address's lookup, telling anyone who has an account. The auth
   * rate limit bounds how many run at once; a failure is logged (the user asks again).
   */
  public Uni<Void> requestPasswordReset(String email) {
    String token = Tokens.newToken();
    accounts
        .mailSlot(
            email.trim(),
            AccountRepository.RESET_PASSWORD,
            config.mailInterval(),
            Tokens.hash(token),
            config.passwordResetTtl())
        .subscribe()
        .with(
            to -> {
              if (to != null) {
                LOG.infof("Password reset token mailed to user %d", to.userId());
                mails.passwordReset(to.email(), to.displayName(), token);
              }
            },
            failure -> LOG.warnf("A password reset request failed: %s", failure.toString()));
    return Uni.createFrom().voidItem();
  }

  /**
   * Sets the password of a reset token's user and ends all of their sessions. The token's account
   * is read first, to check the password against its address before anything is written; an unknown
   * token costs no hashing.
   */
  public Uni<Void> resetPassword(String token, String newPassword) {
    byte[] tokenHash = Tokens.hash(token.trim());
    return accounts
        .resetTokenEmail(tokenHash)
        .chain(
            email -> {
              if (email == null) {
                return Uni.createFrom().failure(invalidToken());
              }
              String refused = PasswordPolicy.problem(newPassword, email);
              if (refused != null) {
                return Uni.createFrom()
                    .failure(ProblemException.invalidField("newPassword", refused));
              }
              return hasher.hash(newPassword);
            })
        .chain(
            hash ->
                AfterCommit.then(
                    accounts.resetPassword(tokenHash, hash),
                    reset ->
                        reset == null
                            ? Uni.createFrom().voidItem()
                            : sessions.ended(reset.userId(), reset.endedSessions())))
        .chain(
            reset -> {
              if (reset == null) {
                return Uni.createFrom().failure(invalidToken());
              }
              LOG.infof(
                  "User %d reset their password; %d sessions ended",
                  reset.userId(), reset.endedSessions().size());
              return Uni.createFrom().voidItem();
            });
  }

  /**
   * Changes the caller's password after checking the current one (a wrong one is a 403), and ends
   * every other session of theirs; the calling session stays.
   */
  public Uni<Void> changePassword(
      long userId, String email, long sessionId, String currentPassword, String newPassword) {
    // Refused before the current password is checked: the answer says nothing about it.
    String refused = PasswordPolicy.problemOfChange(currentPassword, newPassword, email);
    if (refused != null) {
      return Uni.createFrom().failure(ProblemException.invalidField("newPassword", refused));
    }
    return accounts
        .passwordHash(userId)
        .chain(
            stored ->
                hasher
                    .matches(currentPassword, stored)
                    .chain(
                        ok -> {
                          if (!ok) {
                            LOG.infof("User %d gave a wrong current password", userId);
                            return Uni.createFrom().failure(wrongCurrentPassword());
                          }
                          return hasher
                              .hash(newPassword)
                              .chain(
                                  hash ->
                                      AfterCommit.then(
                                          accounts.changePassword(userId, sessionId, stored, hash),
                                          ended ->
                                              ended == null
                                                  ? Uni.createFrom().voidItem()
                                                  : sessions.ended(userId, ended)))
                              .chain(
                                  ended -> {
                                    if (ended == null) {
                                      // a reset (or another change) set a new one meanwhile
                                      LOG.infof(
                                          "User %d's password changed while they changed it",
                                          userId);
                                      return Uni.createFrom().failure(wrongCurrentPassword());
                                    }
                                    LOG.infof(
                                        "User %d changed their password; %d other sessions ended",
                                        userId, ended.size());
                                    return Uni.createFrom().voidItem();
                                  });
                        }));
  }

  private static ProblemException wrongCurrentPassword() {
    return ProblemException.forbidden("The current password is wrong.");
  }

  /** The caller's live sessions, newest first. */
  public Uni<Page<AuthDtos.SessionView>> sessions(
      long userId, long currentSessionId, String cursor, int limit) {
    OffsetDateTime usedSince = OffsetDateTime.now().minus(config.idleTimeout()).minus(LIST_SLACK);
    return sessionRows
        .listOf(userId, usedSince, cursor, limit)
        .map(
            rows -> {
              Page<SessionRepository.SessionRow> page =
                  PageSize.of(rows, limit, r -> Cursor.encode("sessions", r.createdAt(), r.id()));
              OffsetDateTime idleBefore = OffsetDateTime.now().minus(config.idleTimeout());
              List<AuthDtos.SessionView> items =
                  page.items().stream()
                      .map(
                          r ->
                              new AuthDtos.SessionView(
                                  r.id(),
                                  r.createdAt(),
                                  sessions.lastUse(r.id(), r.lastUsedAt()),
                                  r.expiresAt(),
                                  r.userAgent(),
                                  r.id() == currentSessionId))
                      .filter(s -> s.lastUsedAt().isAfter(idleBefore))
                      .toList();
              return new Page<>(items, page.next());
            });
  }

  /** Ends one of the caller's sessions; someone else's (or none) is a 404. */
  public Uni<Void> revokeSession(long userId, long sessionId) {
    return sessions
        .revokeOf(userId, sessionId)
        .map(
            found -> {
              if (!found) {
                throw ProblemException.notFound("You have no session with this id.");
              }
              LOG.infof("User %d ended session %d", userId, sessionId);
              return null;
            });
  }

  /** Ends every session of the caller, the calling one included. */
  public Uni<Void> revokeAllSessions(long userId) {
    return sessions
        .revokeAllOf(userId, 0)
        .invoke(n -> LOG.infof("User %d logged out everywhere (%d sessions)", userId, n))
        .replaceWithVoid();
  }

  /** A User-Agent as stored: control characters blanked, at most 512 characters, or null. */
  static String userAgent(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String clean = header.replaceAll("\\p{Cntrl}", " ").strip();
    if (clean.length() > MAX_USER_AGENT) {
      clean = clean.substring(0, MAX_USER_AGENT);
      if (Character.isHighSurrogate(clean.charAt(clean.length() - 1))) {
        clean = clean.substring(0, clean.length() - 1);
      }
    }
    return clean.isEmpty() ? null : clean;
  }

  private static ProblemException invalidToken() {
    return ProblemException.invalidField(
        "token", "is unknown, already used or expired; ask for a new one");
  }
}
