package io.campus.auth;

import io.campus.ops.PipelinedReads;
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

/** Sessions keyed by token hash; the lookup runs on every authenticated request: one statement. */
@ApplicationScoped
public class SessionRepository {

  private final Pool pool;
  private final SqlClient reads;

  public SessionRepository(Pool pool, PipelinedReads reads) {
    this.pool = pool;
    this.reads = reads.client();
  }

  /** Runs on every authenticated request that misses the cache: pipelined. */
  public Uni<SessionUser> findUser(byte[] tokenHash) {
    return reads
        .preparedQuery(
            "select u.id, u.email, u.display_name, u.role, s.expires_at from sessions s"
                + " join users u on u.id = s.user_id"
                + " where s.token_hash = $1 and s.expires_at > now()"
                + " and u.disabled_at is null and u.deleted_at is null")
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(SessionRepository::firstUser);
  }

  public Uni<Void> create(long userId, byte[] tokenHash, OffsetDateTime expiresAt) {
    return pool.preparedQuery(
            "insert into sessions (token_hash, user_id, expires_at) values ($1, $2, $3)")
        .execute(Tuple.of(Buffer.buffer(tokenHash), userId, expiresAt))
        .replaceWithVoid();
  }

  public Uni<Boolean> delete(byte[] tokenHash) {
    return pool.preparedQuery("delete from sessions where token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(tokenHash)))
        .map(rows -> rows.rowCount() > 0);
  }

  /** Hashes of a user's live sessions, to evict them from the cache when the user changes. */
  public Uni<java.util.List<byte[]>> tokenHashesOf(long userId) {
    return pool.preparedQuery("select token_hash from sessions where user_id = $1")
        .execute(Tuple.of(userId))
        .map(
            rows -> {
              java.util.List<byte[]> hashes = new java.util.ArrayList<>(rows.size());
              rows.forEach(row -> hashes.add(row.getBuffer("token_hash").getBytes()));
              return hashes;
            });
  }

  /** Ends every session of a user in one statement; returns the hashes to evict from the cache. */
  public Uni<java.util.List<byte[]>> deleteAllOf(long userId) {
    return pool.preparedQuery("delete from sessions where user_id = $1 returning token_hash")
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
        row.getOffsetDateTime("expires_at"));
  }
}
