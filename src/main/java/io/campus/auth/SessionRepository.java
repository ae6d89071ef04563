package io.campus.auth;

import io.campus.platform.common.Sql;
import io.campus.platform.common.Where;
import io.campus.platform.ops.DbRead;
import io.campus.platform.ops.DbWrite;
import io.campus.platform.ops.Pipelined;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;

/** Sessions keyed by token hash; the lookup runs on every authenticated request: one statement. */
@ApplicationScoped
public class SessionRepository {

  // By the unique token hash (sessions_token_hash_key, V1), the user by primary key.
  private static final String FIND_USER =
      """
      select u.id, u.email, u.display_name, u.role, s.expires_at, s.id as session_id,
             s.last_used_at, u.email_confirmed_at is not null as email_confirmed
      from sessions s join users u on u.id = s.user_id
      where s.token_hash = $1 and s.expires_at > now() and s.epoch = u.session_epoch
        and u.disabled_at is null and u.deleted_at is null
      """;
  // Of the epoch the login read with the password hash it checked; nothing once that is over.
  // The user's sessions past the newest $6 - 1 by last use (sessions_user_idx) end with it; the
  // statement's snapshot does not see the one it opens.
  private static final String CREATE =
      """
      with s as (
        insert into sessions (token_hash, user_id, expires_at, user_agent, epoch)
        select $1, u.id, $3, $4, u.session_epoch from users u
        where u.id = $2 and u.session_epoch = $5
        returning id),
      ended as (
        delete from sessions o
        where o.id in (select id from sessions where user_id = $2
                       order by last_used_at desc, id desc offset $6 - 1)
          and exists (select 1 from s)
        returning o.token_hash)
      select exists (select 1 from s) as opened, e.token_hash
      from (select 1) one left join ended e on true
      """;
  // A user's sessions by sessions_user_idx (V1), newest first; keyset and limit filled per page.
  private static final String LIST =
      """
      select id, created_at, last_used_at, expires_at, user_agent from sessions
      where user_id = $1 and expires_at > now() and last_used_at > $2
        and epoch = (select session_epoch from users where id = $1) /*{keyset}*/
      order by created_at desc, id desc
      limit /*{limit}*/
      """;
  private static final String DELETE_OF =
      "delete from sessions where id = $1 and user_id = $2 returning token_hash";
  // The user's epoch raised (sessions opened meanwhile, unseen here, end with it), the kept one
  // moved to it.
  private static final String DELETE_ALL_OF =
      """
      with u as (
        update users set session_epoch = session_epoch + 1 where id = $1
        returning session_epoch),
      kept as (
        update sessions s set epoch = u.session_epoch from u where s.id = $2 and s.user_id = $1)
      delete from sessions where user_id = $1 and id <> $2 returning token_hash
      """;
  private static final String RECORD_LAST_USE =
      """
      update sessions s set last_used_at = v.t
      from unnest($1::bigint[], $2::timestamptz[]) as v(id, t)
      where s.id = v.id and s.last_used_at < v.t
      """;
  private static final String DELETE = "delete from sessions where token_hash = $1";
  private static final String TOKEN_HASHES_OF =
      "select token_hash from sessions where user_id = $1";

  private final Pool pool;
  private final SqlClient reads;

  public SessionRepository(Pool pool, Pipelined pipelined) {
    this.pool = pool;
    this.reads = pipelined.reads();
  }

  /** Runs on every authenticated request that misses the cache: pipelined. */
  @DbRead(pipelined = true)
  public Uni<SessionUser> findUser(byte[] tokenHash) {
    return reads
        .preparedQuery(FIND_USER)
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(SessionRepository::firstUser);
  }

  /** Whether a session was opened, and the token hashes of the sessions that ended for it. */
  public record Opened(boolean opened, java.util.List<byte[]> ended) {}

  /**
   * A new session that remembers the client it was opened from (shown in the user's list), of the
   * user's session epoch read with the password it was opened with; not opened, and nothing
   * written, when that epoch is over (their sessions were ended since). The user's sessions beyond
   * the newest {@code maxSessions} by last use end.
   */
  @DbWrite
  public Uni<Opened> create(
      long userId,
      byte[] tokenHash,
      OffsetDateTime expiresAt,
      String userAgent,
      int epoch,
      int maxSessions) {
    return pool.preparedQuery(CREATE)
        .execute(
            // no User-Agent is a null
            Tuple.of(Buffer.buffer(tokenHash), userId, expiresAt, userAgent, epoch)
                .addInteger(maxSessions))
        .map(rows -> new Opened(rows.iterator().next().getBoolean("opened"), tokenHashes(rows)));
  }

  /** One page of a user's live sessions, newest first ({@code limit + 1} rows). */
  @DbRead
  public Uni<java.util.List<SessionRow>> listOf(
      long userId, OffsetDateTime usedSince, String cursor, int limit) {
    Where where =
        Where.with(userId, usedSince)
            .keyset(
                cursor,
                "sessions",
                "created_at, id",
                Where.Order.DESC,
                Where.Key.TIME,
                Where.Key.LONG);
    String sql = Sql.fill(LIST, Map.of("keyset", where.sql(), "limit", where.bind(limit + 1)));
    return pool.preparedQuery(sql)
        .execute(where.tuple())
        .map(
            rows -> {
              java.util.List<SessionRow> list = new java.util.ArrayList<>(rows.size());
              rows.forEach(
                  row ->
                      list.add(
                          new SessionRow(
                              row.getLong("id"),
                              row.getOffsetDateTime("created_at"),
                              row.getOffsetDateTime("last_used_at"),
                              row.getOffsetDateTime("expires_at"),
                              row.getString("user_agent"))));
              return list;
            });
  }

  /** A row of the sessions table as the user's list shows it. */
  public record SessionRow(
      long id,
      OffsetDateTime createdAt,
      OffsetDateTime lastUsedAt,
      OffsetDateTime expiresAt,
      String userAgent) {}

  /** Deletes one session of a user; the token hash to evict, or null when it is not theirs. */
  @DbWrite
  public Uni<byte[]> deleteOf(long userId, long sessionId) {
    return pool.preparedQuery(DELETE_OF)
        .execute(Tuple.of(sessionId, userId))
        .map(rows -> rows.size() == 0 ? null : tokenHashes(rows).get(0));
  }

  /** Deletes every session of a user but {@code keepSessionId} (0: all); their token hashes. */
  @DbWrite
  public Uni<java.util.List<byte[]>> deleteAllOf(long userId, long keepSessionId) {
    return pool.preparedQuery(DELETE_ALL_OF)
        .execute(Tuple.of(userId, keepSessionId))
        .map(SessionRepository::tokenHashes);
  }

  /** Writes the last uses seen by this instance, in one statement (never moves one back). */
  @DbWrite
  public Uni<Integer> recordLastUse(Long[] sessionIds, OffsetDateTime[] usedAt) {
    return pool.preparedQuery(RECORD_LAST_USE)
        .execute(Tuple.of(sessionIds, usedAt))
        .map(RowSet::rowCount);
  }

  static java.util.List<byte[]> tokenHashes(RowSet<Row> rows) {
    java.util.List<byte[]> hashes = new java.util.ArrayList<>(rows.size());
    for (Row row : rows) {
      // null on the one row of a statement that ended no session (a left join)
      var hash = row.getBuffer("token_hash");
      if (hash != null) {
        hashes.add(hash.getBytes());
      }
    }
    return hashes;
  }

  @DbWrite
  public Uni<Boolean> delete(byte[] tokenHash) {
    return pool.preparedQuery(DELETE)
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> rows.rowCount() > 0);
  }

  /** Hashes of a user's live sessions, to evict them from the cache when the user changes. */
  @DbRead
  public Uni<java.util.List<byte[]>> tokenHashesOf(long userId) {
    return pool.preparedQuery(TOKEN_HASHES_OF)
        .execute(Tuple.of(userId))
        .map(
            rows -> {
              java.util.List<byte[]> hashes = new java.util.ArrayList<>(rows.size());
              rows.forEach(row -> hashes.add(row.getBuffer("token_hash").getBytes()));
              return hashes;
            });
  }

  private static SessionUser firstUser(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return null;
    }
    Row row = rows.iterator().next();
    return new SessionUser(
        new UserView(
            row.getLong("id"),
            row.getString("email"),
            row.getString("display_name"),
            Role.valueOf(row.getString("role"))),
        row.getOffsetDateTime("expires_at"),
        row.getLong("session_id"),
        row.getOffsetDateTime("last_used_at"),
        row.getBoolean("email_confirmed"));
  }
}
