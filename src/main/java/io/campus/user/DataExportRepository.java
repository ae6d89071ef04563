package io.campus.user;

import io.campus.platform.common.Sql;
import io.campus.platform.ops.DbRead;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Everything held about one user as one JSON document, built by PostgreSQL in one statement. Each
 * list section holds at most {@code limit} items, newest first, and says whether it was cut.
 * Secrets (password hash, token hashes) are never selected.
 */
@ApplicationScoped
public class DataExportRepository {

  static final String EXPORT = Sql.load("user/export");

  private final Pool pool;

  public DataExportRepository(Pool pool) {
    this.pool = pool;
  }

  /** The export of one user as JSON text; sections hold at most {@code limit} items each. */
  @DbRead
  public Uni<String> export(long userId, int limit) {
    return pool.preparedQuery(EXPORT)
        .execute(Tuple.of(userId, limit))
        .map(rows -> rows.iterator().next().getString("export"));
  }
}
