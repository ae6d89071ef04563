package io.campus.auth;

import io.campus.platform.common.Sql;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Registration, mailed tokens and password changes. Each operation is one statement (data-modifying
 * CTEs), so it is atomic without a transaction spanning round trips.
 */
@ApplicationScoped
public class AccountRepository {

  static final String CONFIRM_EMAIL = "CONFIRM_EMAIL";
  static final String RESET_PASSWORD = "RESET_PASSWORD";
  static final String REGISTERED_AGAIN = "REGISTERED_AGAIN";

  // A student and their confirmation token; nothing on a taken address (users_email_lower_uq).
  private static final String INSERT_STUDENT =
      """
      with u as (
        insert into users (email, display_name, role, password_hash)
        values ($1, $2, 'STUDENT', $3) on conflict do nothing returning id),
      t as (
        insert into account_tokens (user_id, purpose, token_hash, expires_at)
        select id, 'CONFIRM_EMAIL', $4, now() + make_interval(secs => $5) from u)
      select id from u
      """;
  private static final String MAIL_SLOT = Sql.load("auth/mail-slot");
  private static final String CONFIRM =
      """
      with t as (
        update account_tokens set used_at = now()
        where token_hash = $1 and purpose = 'CONFIRM_EMAIL' and used_at is null
          and expires_at > now()
        returning user_id)
      update users u set email_confirmed_at = coalesce(u.email_confirmed_at, now())
      from t where u.id = t.user_id
      returning u.id
      """;
  private static final String RESET = Sql.load("auth/reset-password");
  private static final String RESET_TOKEN_EMAIL =
      """
      select u.email from account_tokens t join users u on u.id = t.user_id
      where t.token_hash = $1 and t.purpose = 'RESET_PASSWORD' and t.used_at is null
        and t.expires_at > now()
      """;
  private static final String PASSWORD_HASH = "select password_hash from users where id = $1";
  private static final String CHANGE_PASSWORD =
      """
      with u as (
        update users set password_hash = $2, session_epoch = session_epoch + 1
        -- only over the password the caller proved: not over one a reset set meanwhile
        where id = $1 and password_hash = $4
        returning id, session_epoch),
      r as (
        update account_tokens set used_at = now()
        where user_id in (select id from u) and purpose = 'RESET_PASSWORD' and used_at is null),
      kept as (
        update sessions s set epoch = u.session_epoch from u where s.id = $3 and s.user_id = u.id),
      ended as (
        delete from sessions where user_id in (select id from u) and id <> $3
        returning token_hash)
      select u.id, ended.token_hash from u left join ended on true
      """;

  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  /** Who a mail goes to. */
  public record Recipient(long userId, String email, String displayName) {}

  /**
   * Creates a student with a confirmation token; null (and nothing written) when the address is
   * taken, whatever its case.
   */
  @DbWrite
  public Uni<Long> insertStudent(
      String email, String displayName, String passwordHash, byte[] tokenHash, Duration ttl) {
    return pool.preparedQuery(INSERT_STUDENT)
        .execute(Tuple.of(email, displayName, passwordHash, Buffer.buffer(tokenHash), seconds(ttl)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("id"));
  }

  /**
   * Takes the mail slot of one kind for the account of an address: the recipient when a mail may go
   * out now (none of this kind within {@code interval}), else null. With a token hash, the token is
   * stored in the same statement. An unknown address costs the same single statement.
   */
  @DbWrite
  public Uni<Recipient> mailSlot(
      String email, String kind, Duration interval, byte[] tokenHash, Duration ttl) {
    return pool.preparedQuery(MAIL_SLOT)
        .execute(
            Tuple.of(
                email,
                kind,
                seconds(interval),
                tokenHash == null ? null : Buffer.buffer(tokenHash),
                seconds(ttl)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new Recipient(
                  row.getLong("id"), row.getString("email"), row.getString("display_name"));
            });
  }

  /**
   * Uses a confirmation token: the id of the user it confirmed, null for an unknown, used or
   * expired one.
   */
  @DbWrite
  public Uni<Long> confirmEmail(byte[] tokenHash) {
    return pool.preparedQuery(CONFIRM)
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("id"));
  }

  /** What a password reset did: whose password, and the token hashes of the sessions it ended. */
  public record Reset(long userId, List<byte[]> endedSessions) {}

  /**
   * Uses a reset token: sets the password, ends every session and every other open reset token of
   * the user, and confirms the address (the mail reached its owner). Null for an unknown, used or
   * expired token.
   */
  @DbWrite
  public Uni<Reset> resetPassword(byte[] tokenHash, String passwordHash) {
    return pool.preparedQuery(RESET)
        .execute(Tuple.of(Buffer.buffer(tokenHash), passwordHash))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              return new Reset(
                  rows.iterator().next().getLong("id"), SessionRepository.tokenHashes(rows));
            });
  }

  /** The address of a usable reset token's account, or null when the token is not usable. */
  @DbRead
  public Uni<String> resetTokenEmail(byte[] tokenHash) {
    return pool.preparedQuery(RESET_TOKEN_EMAIL)
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** The stored password hash of a user, or null when there is no such user. */
  @DbRead
  public Uni<String> passwordHash(long userId) {
    return pool.preparedQuery(PASSWORD_HASH)
        .execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /**
   * Sets a new password, if the stored one is still {@code checkedHash}, and ends the user's other
   * sessions and open reset tokens; the token hashes of the ended sessions, or null (nothing
   * written) when the password changed since it was checked.
   */
  @DbWrite
  public Uni<List<byte[]>> changePassword(
      long userId, long keepSessionId, String checkedHash, String passwordHash) {
    return pool.preparedQuery(CHANGE_PASSWORD)
        .execute(Tuple.of(userId, passwordHash, keepSessionId, checkedHash))
        .map(rows -> rows.size() == 0 ? null : SessionRepository.tokenHashes(rows));
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
